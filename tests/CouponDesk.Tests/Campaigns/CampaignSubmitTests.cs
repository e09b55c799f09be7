using System.Net;
using System.Net.Http.Json;
using System.Text;
using CouponDesk.Features.Audit;
using CouponDesk.Security;
using CouponDesk.Tests.Recipients;

namespace CouponDesk.Tests.Campaigns;

/// <summary>Submit (DRAFT → SCHEDULED), send-time rules, product snapshot, 예약 해제, cancel — and the whole API flow.</summary>
public sealed class CampaignSubmitTests : IClassFixture<CampaignTestFactory>
{
    private readonly CampaignTestFactory factory;

    public CampaignSubmitTests(CampaignTestFactory factory)
    {
        this.factory = factory;
        factory.Clock.Set(CampaignTestFactory.DefaultNow);
    }

    [Fact]
    public async Task Through_the_api_alone_a_campaign_is_created_filled_previewed_submitted_and_cancelled()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client, CampaignApi.FullForm(scheduledAt: "2026-11-25 14:00"));

        // 20,000 data rows (the limit): 19,995 good ones, three bad ones and two duplicates.
        var rows = Enumerable.Range(0, 19_995).Select(i => ((string?)TestFiles.Phone(i, hyphens: i % 3 != 0), (string?)null)).ToList();
        rows.Insert(10, ("010-0000-abcd", null));
        rows.Insert(500, ("011-0000-0001", null));
        rows.Insert(19_000, ("", "이름만"));
        rows.Add((TestFiles.Phone(7), null));
        rows.Add((TestFiles.Phone(8), null));
        var staged = await CampaignApi.UploadAsync(client, id, TestFiles.Xlsx(rows), "20000명.xlsx");
        Assert.Equal((19_995, 3, 2), (staged.GetProperty("validCount").GetInt32(), staged.GetProperty("errorCount").GetInt32(), staged.GetProperty("duplicateCount").GetInt32()));
        Assert.Equal([12, 502, 19002, 20000, 20001], staged.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()));

        var listId = staged.GetProperty("listId").GetInt64();
        var errorFile = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/api/campaigns/{id}/recipient-lists/{listId}/errors"));
        Assert.Equal(6, errorFile.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("502,휴대폰번호,", errorFile, StringComparison.Ordinal);
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/recipient-lists/{listId}/accept", null), HttpStatusCode.OK);

        var preview = await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}/preview"), HttpStatusCode.OK);
        Assert.Equal("연말 감사 선물", preview.GetProperty("mms").GetProperty("title").GetString());
        Assert.Equal(14, preview.GetProperty("mms").GetProperty("titleBytes").GetInt32());
        Assert.True(preview.GetProperty("mms").GetProperty("withinLimits").GetBoolean());
        Assert.Equal("2027.01.24까지", preview.GetProperty("coupon").GetProperty("validity").GetString());
        Assert.Equal("테스트커피", preview.GetProperty("coupon").GetProperty("exchangePlace").GetString());
        var image = await client.GetAsync(preview.GetProperty("image").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        var jpeg = await image.Content.ReadAsByteArrayAsync();
        Assert.InRange(jpeg.Length, 1_000, 300_000);
        using (var decoded = SkiaSharp.SKBitmap.Decode(jpeg))
        {
            Assert.Equal(720, decoded.Width);
        }

        var check = await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit/check", null), HttpStatusCode.OK);
        Assert.Equal("DRAFT", await factory.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
        // The particle the name takes ("Tall" is read 톨: 을), and the total on its own line, once (issue 14 point 7).
        Assert.Equal(
            "2026-11-25 14:00에 테스트커피 아메리카노 Tall을 총 19,995개의 휴대폰 번호로 발송이 됩니다. 정말 발송하시겠습니까?",
            check.GetProperty("confirmMessage").GetString());
        Assert.Equal("합계 89,977,500원", check.GetProperty("costEstimate").GetProperty("text").GetString());

        var submitted = await CampaignApi.ReadAsync(await client.PostAsJsonAsync($"/api/campaigns/{id}/submit", new { }), HttpStatusCode.OK);
        Assert.Equal("발송 요청이 완료되었습니다.", submitted.GetProperty("message").GetString());
        var cost = submitted.GetProperty("costEstimate");
        Assert.Equal((19_995, 4500, 89_977_500L, 84_578_850L), (cost.GetProperty("recipients").GetInt32(), cost.GetProperty("unitListPrice").GetInt32(), cost.GetProperty("totalListPrice").GetInt64(), cost.GetProperty("totalSupplyPrice").GetInt64()));
        var campaign = submitted.GetProperty("campaign");
        Assert.Equal("SCHEDULED", campaign.GetProperty("status").GetString());
        Assert.Equal("2026-11-25 14:00", campaign.GetProperty("scheduledAt").GetString());
        Assert.Equal("2026-11-25 13:40", campaign.GetProperty("startAt").GetString());

        // Scheduled: no more edits or uploads.
        await CampaignApi.ProblemAsync(await client.PutAsJsonAsync($"/api/campaigns/{id}", CampaignApi.FullForm()), HttpStatusCode.Conflict, "campaign_not_draft");
        await CampaignApi.ProblemAsync(await client.PostAsJsonAsync($"/api/campaigns/{id}/recipient-lists/quick", new { lines = new[] { "010-0000-0001" } }), HttpStatusCode.Conflict, "campaign_not_draft");
        await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.Conflict, "campaign_not_draft");

        var noReason = await CampaignApi.ProblemAsync(await client.PostAsJsonAsync($"/api/campaigns/{id}/cancel", new { reason = " " }), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["취소 사유를 입력해 주세요."], CampaignApi.FieldErrors(noReason, "reason"));
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/campaigns/{id}/cancel", new { reason = "고객 요청" })).StatusCode);

        var cancelled = await CampaignApi.ReadAsync(await client.PostAsJsonAsync($"/api/campaigns/{id}/cancel", new { reason = "고객사 요청으로 취소" }), HttpStatusCode.OK);
        Assert.Equal("발송이 취소되었습니다.", cancelled.GetProperty("message").GetString());
        Assert.Equal("CANCELLED", cancelled.GetProperty("campaign").GetProperty("status").GetString());
        await CampaignApi.ProblemAsync(await client.PostAsJsonAsync($"/api/campaigns/{id}/cancel", new { reason = "again" }), HttpStatusCode.Conflict, "campaign_not_cancellable");

        Assert.Equal(
            [CampaignAuditEvents.Created, CampaignAuditEvents.RecipientsStaged, CampaignAuditEvents.RecipientErrorsDownloaded, CampaignAuditEvents.RecipientsAccepted, CampaignAuditEvents.Submitted, CampaignAuditEvents.Cancelled],
            factory.Audit.NamesFor(id));
    }

    [Fact]
    public async Task Submit_names_every_missing_field_and_the_missing_recipients()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client, new { clientName = "고객사", eventName = "이벤트", useBanner = true });

        var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.BadRequest, "validation_failed");

        foreach (var (field, label) in new[] { ("clientRequester", "고객사 요청자"), ("requesterEmail", "요청자 이메일"), ("goodsId", "상품명"), ("senderNumber", "발신자 번호"), ("mmsTitle", "제목"), ("mmsBody", "내용"), ("scheduledAt", "발송 예약일시"), ("bannerImage", "배너 파일") })
        {
            Assert.Equal([$"필수 항목인 '{label}'을(를) 입력해주세요."], CampaignApi.FieldErrors(problem, field));
        }

        Assert.Equal(["등록된 수신자 휴대폰 번호가 없습니다."], CampaignApi.FieldErrors(problem, "recipients"));
        Assert.Equal("DRAFT", await factory.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task The_lead_grows_with_the_number_of_recipients()
    {
        factory.Clock.Set(CampaignTestFactory.DefaultNow.AddMinutes(-10)); // 09:50 KST, so 10:05 is still in the future
        var client = await factory.CreateClientAsync(Roles.Operator); // signed in on the test clock
        var id = await ReadyCampaignAsync(client, "2026-11-25 10:05", recipients: 3);
        factory.Clock.Set(CampaignTestFactory.DefaultNow);

        var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(["발송 예약일시는 10:10 이후로 선택해 주세요. (발송 준비에 약 10분 필요)"], CampaignApi.FieldErrors(problem, "scheduledAt"));
        Assert.Equal("DRAFT", await factory.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Sending_now_takes_the_earliest_allowed_time()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await ReadyCampaignAsync(client, null, recipients: 3);

        var submitted = await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);

        Assert.Equal("2026-11-25 10:10", submitted.GetProperty("campaign").GetProperty("scheduledAt").GetString());
        Assert.Equal("2026-11-25 10:00", submitted.GetProperty("campaign").GetProperty("startAt").GetString());
    }

    [Fact]
    public async Task A_night_send_needs_the_explicit_confirmation()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await ReadyCampaignAsync(client, "2026-11-25 22:00", recipients: 2);

        var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["야간(21시~08시)에 발송합니다. 광고성 메시지는 수신자의 별도 동의가 없으면 야간 발송이 제한됩니다."], CampaignApi.FieldErrors(problem, "nightSendConfirmed"));

        var version = (await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.OK)).GetProperty("version").GetInt32();
        var form = CampaignDraftTests.Merge(CampaignApi.FullForm("2026-11-25 22:00"), new { nightSendConfirmed = true, version });
        await CampaignApi.ReadAsync(await client.PutAsJsonAsync($"/api/campaigns/{id}", form), HttpStatusCode.OK);
        var submitted = await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);
        Assert.Contains("야간(21시~08시)에 발송합니다", submitted.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fixed_date_product_must_still_be_valid_after_the_send_date()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var form = CampaignDraftTests.Merge(CampaignApi.FullForm("2026-12-01 10:00"), new { goodsId = CampaignTestFactory.ExpiringGoodsId });
        var id = await CampaignApi.CreateAsync(client, form);
        await AcceptQuickAsync(client, id, 2);

        var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["유효기간이 지난 상품은 선택할 수 없습니다."], CampaignApi.FieldErrors(problem, "goodsId"));

        var version = (await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.OK)).GetProperty("version").GetInt32();
        await CampaignApi.ReadAsync(await client.PutAsJsonAsync($"/api/campaigns/{id}", CampaignDraftTests.Merge(form, new { scheduledAt = "2026-11-26 10:00", version })), HttpStatusCode.OK);
        var submitted = await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);
        Assert.Equal(["발송일 이후 유효기간이 7일 미만입니다."], submitted.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task The_product_is_snapshotted_so_later_catalog_changes_do_not_alter_a_scheduled_campaign()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await ReadyCampaignAsync(client, "2026-11-26 10:00", recipients: 2);
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);
        var other = await ReadyCampaignAsync(client, "2026-11-26 10:00", recipients: 1);

        await factory.ExecuteAsync("UPDATE products SET ori_price = 9999, name = '바뀐 이름', status = 'DISCONTINUED' WHERE goods_id = @g", new { g = CampaignTestFactory.GoodsId });
        try
        {
            var campaign = await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.OK);
            Assert.Equal(4500, campaign.GetProperty("product").GetProperty("listPrice").GetInt32());
            Assert.Equal("테스트커피 아메리카노 Tall", campaign.GetProperty("product").GetProperty("name").GetString());
            Assert.Equal("4,230 / 4,500 (원)", campaign.GetProperty("product").GetProperty("priceText").GetString());
            Assert.Equal("발송일로부터 60일", campaign.GetProperty("product").GetProperty("validityText").GetString());
            Assert.Equal(9000, campaign.GetProperty("costEstimate").GetInt64());

            // A product discontinued after it was chosen stops the submit.
            var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{other}/submit", null), HttpStatusCode.BadRequest, "validation_failed");
            Assert.Equal(["선택한 상품이 판매 중지되었습니다. 다른 상품을 선택하세요."], CampaignApi.FieldErrors(problem, "goodsId"));
        }
        finally
        {
            await factory.ExecuteAsync("UPDATE products SET ori_price = 4500, name = '테스트커피 아메리카노 Tall', status = 'ON_SALE' WHERE goods_id = @g", new { g = CampaignTestFactory.GoodsId });
        }
    }

    [Fact]
    public async Task Unscheduling_is_possible_until_the_start_time()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await ReadyCampaignAsync(client, "2026-11-25 12:00", recipients: 2);
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);

        var back = await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/unschedule", null), HttpStatusCode.OK);
        Assert.Equal("DRAFT", back.GetProperty("status").GetString());
        Assert.Equal(JsonValueKindNull, back.GetProperty("startAt").ValueKind);

        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/submit", null), HttpStatusCode.OK);
        factory.Clock.Set(new DateTimeOffset(2026, 11, 25, 2, 51, 0, TimeSpan.Zero)); // 11:51 KST, after the 11:50 start
        client = await factory.CreateClientAsync(Roles.Operator); // the first session went idle on the test clock
        var problem = await CampaignApi.ProblemAsync(await client.PostAsync($"/api/campaigns/{id}/unschedule", null), HttpStatusCode.Conflict, "campaign_already_started");
        Assert.Contains("예약을 해제할 수 없습니다", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("SCHEDULED", await factory.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id }));
        Assert.Equal(
            [CampaignAuditEvents.Created, CampaignAuditEvents.RecipientsStaged, CampaignAuditEvents.RecipientsAccepted, CampaignAuditEvents.Submitted, CampaignAuditEvents.Unscheduled, CampaignAuditEvents.Submitted],
            factory.Audit.NamesFor(id));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    internal static async Task<long> ReadyCampaignAsync(HttpClient client, string? scheduledAt, int recipients)
    {
        var form = scheduledAt is null
            ? CampaignDraftTests.Merge(CampaignApi.FullForm(), new { sendMode = "NOW", scheduledAt = (string?)null })
            : CampaignApi.FullForm(scheduledAt);
        var id = await CampaignApi.CreateAsync(client, form);
        await AcceptQuickAsync(client, id, recipients);
        return id;
    }

    private static async Task AcceptQuickAsync(HttpClient client, long id, int count)
    {
        var staged = await CampaignApi.ReadAsync(
            await client.PostAsJsonAsync($"/api/campaigns/{id}/recipient-lists/quick", new { lines = Enumerable.Range(600, count).Select(i => TestFiles.Phone(i)).ToArray() }), HttpStatusCode.Created);
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/recipient-lists/{staged.GetProperty("listId").GetInt64()}/accept", null), HttpStatusCode.OK);
    }
}
