using System.Net;
using System.Net.Http.Json;
using System.Text;
using CouponDesk.Features.Recipients;
using CouponDesk.Security;
using CouponDesk.Tests.Campaigns;
using Dapper;

namespace CouponDesk.Tests.Recipients;

/// <summary>Uploads through the API against the real database: staging, errors, acceptance, replacement, privacy.</summary>
public sealed class RecipientUploadTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task A_file_with_bad_rows_is_staged_with_its_errors_and_saved_only_when_accepted()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var rows = Enumerable.Range(0, 10).Select(i => ((string?)TestFiles.Phone(i, hyphens: i % 2 == 0), (string?)(i == 3 ? "홍길동" : null))).ToList();
        rows.Insert(4, ("010-0000-12", null));
        rows.Insert(7, (TestFiles.Phone(2), null));

        var staged = await CampaignApi.UploadAsync(client, campaignId, TestFiles.Xlsx(rows), "recipients.xlsx");

        Assert.Equal("STAGED", staged.GetProperty("status").GetString());
        Assert.Equal(12, staged.GetProperty("totalRows").GetInt32());
        Assert.Equal(10, staged.GetProperty("validCount").GetInt32());
        Assert.Equal(1, staged.GetProperty("errorCount").GetInt32());
        Assert.Equal(1, staged.GetProperty("duplicateCount").GetInt32());
        Assert.Equal("총 12건 중 정상 10건, 오류 1건 (중복 1건 제외)", staged.GetProperty("summary").GetString());
        Assert.Equal("오류 2건을 제외하고 정상 10건으로 진행하시겠습니까?", staged.GetProperty("confirmMessage").GetString());
        var errors = staged.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal((6, "휴대폰번호", "INVALID_PHONE_FORMAT", "전화번호 형식 오류"), (errors[0].GetProperty("row").GetInt32(), errors[0].GetProperty("column").GetString(), errors[0].GetProperty("code").GetString(), errors[0].GetProperty("reason").GetString()));
        Assert.Equal((9, "DUPLICATE_IN_FILE", "010-****-0002"), (errors[1].GetProperty("row").GetInt32(), errors[1].GetProperty("code").GetString(), errors[1].GetProperty("input").GetString()));
        Assert.Equal("010-****-0000", staged.GetProperty("preview")[0].GetProperty("phone").GetString());
        Assert.Equal("홍*동", staged.GetProperty("preview")[3].GetProperty("name").GetString());

        // Nothing belongs to the campaign before acceptance.
        var campaign = await client.GetFromJsonAsync<CampaignCount>($"/api/campaigns/{campaignId}");
        Assert.Equal(0, campaign!.RecipientCount);

        var listId = staged.GetProperty("listId").GetInt64();
        var accepted = await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists/{listId}/accept", null), HttpStatusCode.OK);
        Assert.Equal("ACCEPTED", accepted.GetProperty("status").GetString());
        campaign = await client.GetFromJsonAsync<CampaignCount>($"/api/campaigns/{campaignId}");
        Assert.Equal(10, campaign!.RecipientCount);
        Assert.Equal(
            [CampaignAuditEventsNames.Created, CampaignAuditEventsNames.Staged, CampaignAuditEventsNames.Accepted],
            factory.Audit.NamesFor(campaignId));

        var page = await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{campaignId}/recipients?limit=4"), HttpStatusCode.OK);
        Assert.Equal(4, page.GetProperty("items").GetArrayLength());
        Assert.Equal(4, page.GetProperty("next").GetInt32());
    }

    [Fact]
    public async Task Stored_rows_are_encrypted_with_a_blind_index_and_responses_never_hold_a_full_number()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var csv = TestFiles.Csv("휴대폰번호,이름\n010-0000-0777,김테스트\n", new UTF8Encoding(false));

        var response = await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName=list.csv", new ByteArrayContent(csv));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("01000000777", body);
        Assert.DoesNotContain("0000-0777", body);
        Assert.DoesNotContain("김테스트", body);
        await using var connection = await factory.Database.OpenAsync();
        var row = await connection.QuerySingleAsync<(byte[] Phone, byte[] Index, byte[] Name, long ListId, int Seq)>(
            "SELECT r.phone_enc, r.phone_bidx, r.name_enc, r.list_id, r.seq FROM recipient_list_rows r JOIN recipient_lists l ON l.id = r.list_id WHERE l.campaign_id = @campaignId",
            new { campaignId });
        Assert.DoesNotContain("01000000777", Encoding.Latin1.GetString(row.Phone));
        var pii = (CouponDesk.Security.Pii.PiiProtector)factory.Services.GetService(typeof(CouponDesk.Security.Pii.PiiProtector))!;
        // Bound to the row (D-SEC-12): they read at their place only.
        Assert.Equal("01000000777", pii.Decrypt(row.Phone, RecipientsModule.PhoneColumn.PlaceOf(row.ListId, row.Seq)));
        Assert.Equal("김테스트", pii.Decrypt(row.Name, RecipientsModule.NameColumn.PlaceOf(row.ListId, row.Seq)));
        Assert.Throws<CouponDesk.Security.Pii.PiiMisplacedValueException>(() => pii.Decrypt(row.Phone, RecipientsModule.PhoneColumn.PlaceOf(row.ListId, row.Seq + 1)));
        Assert.Equal(pii.BlindIndex("phone", "01000000777"), row.Index);
    }

    [Fact]
    public async Task The_error_file_lists_every_bad_row_and_cannot_carry_a_formula()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var csv = "phone\n010-0000-0001\n=HYPERLINK(\"http://x.invalid\",\"click\")\n+1-0000-0001\n@SUM(A1)\n-2+3\n";
        var staged = await CampaignApi.UploadAsync(client, campaignId, TestFiles.Csv(csv, new UTF8Encoding(false)), "list.csv");

        var listId = staged.GetProperty("listId").GetInt64();
        var response = await client.GetAsync($"/api/campaigns/{campaignId}/recipient-lists/{listId}/errors");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("행 번호,열,입력값,사유", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("3,휴대폰번호,", lines[1]);
        Assert.All(lines.Skip(1), line => Assert.DoesNotMatch("(^|,)\"?[=+@-]", line));
        Assert.Contains(factory.Audit.Events, e => e.Name == CampaignAuditEventsNames.ErrorsDownloaded && e.CampaignId == campaignId);

        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/campaigns/{campaignId}/recipient-lists/{listId}/errors")).StatusCode);
    }

    [Fact]
    public async Task Accepting_a_new_list_replaces_the_old_one_entirely()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var first = await CampaignApi.UploadAsync(client, campaignId, TestFiles.Xlsx(Enumerable.Range(100, 5).Select(i => ((string?)TestFiles.Phone(i), (string?)null))), "a.xlsx");
        var firstId = first.GetProperty("listId").GetInt64();
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists/{firstId}/accept", null), HttpStatusCode.OK);

        var second = await CampaignApi.ReadAsync(await client.PostAsJsonAsync($"/api/campaigns/{campaignId}/recipient-lists/quick", new { lines = new[] { TestFiles.Phone(200), TestFiles.Phone(201) } }), HttpStatusCode.Created);
        var secondId = second.GetProperty("listId").GetInt64();

        // Until accepted, the first list is still the campaign's.
        Assert.Equal(5, await factory.ScalarAsync<int>("SELECT recipient_count FROM campaigns WHERE id = @campaignId", new { campaignId }));
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists/{secondId}/accept", null), HttpStatusCode.OK);

        Assert.Equal(2, await factory.ScalarAsync<int>("SELECT recipient_count FROM campaigns WHERE id = @campaignId", new { campaignId }));
        Assert.Equal(secondId, await factory.ScalarAsync<long>("SELECT recipient_list_id FROM campaigns WHERE id = @campaignId", new { campaignId }));
        Assert.Equal("REPLACED", await factory.ScalarAsync<string>("SELECT status FROM recipient_lists WHERE id = @firstId", new { firstId }));
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows WHERE list_id = @firstId", new { firstId }));
        await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists/{firstId}/accept", null), HttpStatusCode.Conflict, "recipient_list_not_staged");
    }

    [Fact]
    public async Task A_new_upload_discards_the_previous_unaccepted_one()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var first = await CampaignApi.UploadAsync(client, campaignId, TestFiles.Csv("010-0000-0301\n", Encoding.UTF8), "a.csv");
        await CampaignApi.UploadAsync(client, campaignId, TestFiles.Csv("010-0000-0302\n", Encoding.UTF8), "b.csv");

        var firstId = first.GetProperty("listId").GetInt64();
        Assert.Equal("DISCARDED", await factory.ScalarAsync<string>("SELECT status FROM recipient_lists WHERE id = @firstId", new { firstId }));
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows WHERE list_id = @firstId", new { firstId }));
    }

    [Fact]
    public async Task A_list_without_valid_rows_can_be_seen_but_not_accepted()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var staged = await CampaignApi.UploadAsync(client, campaignId, TestFiles.Csv("010-1\n010-2\n", Encoding.UTF8), "bad.csv");

        var listId = staged.GetProperty("listId").GetInt64();
        var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists/{listId}/accept", null), HttpStatusCode.Conflict, "recipient_list_empty");
        Assert.Equal("등록된 수신자 휴대폰 번호가 없습니다.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Quick_entry_is_limited_to_one_hundred_numbers()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);

        var tooMany = Enumerable.Range(0, 101).Select(i => TestFiles.Phone(i)).ToArray();
        var problem = await CampaignApi.ProblemAsync(await client.PostAsJsonAsync($"/api/campaigns/{campaignId}/recipient-lists/quick", new { lines = tooMany }), HttpStatusCode.BadRequest, "quick_entry_too_many_rows");
        Assert.Equal("100개까지만 입력이 가능합니다.", problem.GetProperty("detail").GetString());
        await CampaignApi.ProblemAsync(await client.PostAsJsonAsync($"/api/campaigns/{campaignId}/recipient-lists/quick", new { lines = new[] { "", " " } }), HttpStatusCode.BadRequest, "quick_entry_empty");

        var ok = await CampaignApi.ReadAsync(await client.PostAsJsonAsync($"/api/campaigns/{campaignId}/recipient-lists/quick", new { lines = tooMany[..100] }), HttpStatusCode.Created);
        Assert.Equal(100, ok.GetProperty("validCount").GetInt32());
        Assert.Equal("QUICK", ok.GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_template_downloads_and_reads_back_as_a_valid_upload()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var response = await client.GetAsync("/api/recipient-lists/template");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var template = await response.Content.ReadAsByteArrayAsync();

        var campaignId = await CampaignApi.CreateAsync(client);
        var staged = await CampaignApi.UploadAsync(client, campaignId, template, "수신자_등록_샘플.xlsx");

        // The two example rows are the same all-zero number; the ※ note row is not data.
        Assert.Equal((1, 0, 1), (staged.GetProperty("validCount").GetInt32(), staged.GetProperty("errorCount").GetInt32(), staged.GetProperty("duplicateCount").GetInt32()));
    }

    [Fact]
    public async Task Viewers_cannot_upload_and_scheduled_campaigns_cannot_take_a_list()
    {
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);

        var forbidden = await viewer.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName=a.csv", new ByteArrayContent(Encoding.UTF8.GetBytes("010-0000-0001")));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        await factory.ExecuteAsync("UPDATE campaigns SET status = 'SCHEDULED' WHERE id = @campaignId", new { campaignId });
        await CampaignApi.ProblemAsync(
            await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName=a.csv", new ByteArrayContent(Encoding.UTF8.GetBytes("010-0000-0001"))),
            HttpStatusCode.Conflict, "campaign_not_draft");
        await CampaignApi.ProblemAsync(
            await client.PostAsync("/api/campaigns/999999/recipient-lists?fileName=a.csv", new ByteArrayContent(Encoding.UTF8.GetBytes("010-0000-0001"))),
            HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM recipient_lists WHERE campaign_id = @campaignId", new { campaignId }));
    }

    private sealed record CampaignCount(int RecipientCount);
}

/// <summary>Short aliases for the audit names the tests check.</summary>
internal static class CampaignAuditEventsNames
{
    public const string Created = CouponDesk.Features.Audit.CampaignAuditEvents.Created;
    public const string Staged = CouponDesk.Features.Audit.CampaignAuditEvents.RecipientsStaged;
    public const string Accepted = CouponDesk.Features.Audit.CampaignAuditEvents.RecipientsAccepted;
    public const string ErrorsDownloaded = CouponDesk.Features.Audit.CampaignAuditEvents.RecipientErrorsDownloaded;
}
