using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Security;

namespace CouponDesk.Tests.Campaigns;

/// <summary>Draft creation and editing: field rules, EUC-KR limits, product and sender checks, edit only while DRAFT.</summary>
public sealed class CampaignDraftTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task A_draft_needs_only_client_and_event_name_and_defaults_the_sales_manager()
    {
        var account = await factory.CreateAccountAsync(Roles.Operator);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDesk.TestSupport.CouponDeskFactory.LoginAsync(client, account.LoginId, account.Password));

        var created = await CampaignApi.ReadAsync(await client.PostAsJsonAsync("/api/campaigns", new { clientName = " 고객사 ", eventName = "이벤트" }), HttpStatusCode.Created);

        Assert.Equal("DRAFT", created.GetProperty("status").GetString());
        Assert.Equal("임시저장", created.GetProperty("statusLabel").GetString());
        Assert.Equal("고객사", created.GetProperty("clientName").GetString());
        Assert.Equal(account.LoginId, created.GetProperty("salesManager").GetString());
        Assert.Matches("^C261125\\d{6}$", created.GetProperty("campaignNo").GetString());
        Assert.Equal("2026-11-25 10:10", created.GetProperty("earliestSendAt").GetString());
    }

    [Fact]
    public async Task Missing_required_names_give_the_korean_required_message()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var problem = await CampaignApi.ProblemAsync(await client.PostAsJsonAsync("/api/campaigns", new { clientName = "  " }), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(["필수 항목인 '고객사'을(를) 입력해주세요."], CampaignApi.FieldErrors(problem, "clientName"));
        Assert.Equal(["필수 항목인 '이벤트명'을(를) 입력해주세요."], CampaignApi.FieldErrors(problem, "eventName"));
    }

    public static TheoryData<string, object, string> InvalidFields => new()
    {
        { "clientName", new { clientName = new string('가', 31) }, "고객사는 30자까지 입력할 수 있습니다." },
        { "eventName", new { eventName = new string('a', 51) }, "이벤트명은 50자까지 입력할 수 있습니다." },
        { "requesterEmail", new { requesterEmail = "not-an-email" }, "유효하지 않은 이메일 형식입니다." },
        { "requesterPhone", new { requesterPhone = "12345" }, "요청자 전화번호는 0으로 시작하는 숫자 9~11자리로 입력해 주세요." },
        { "mmsTitle", new { mmsTitle = "감사 선물 😀" }, "MMS에서 사용할 수 없는 문자(이모지 등)가 포함되어 있습니다: 😀" },
        { "mmsTitle", new { mmsTitle = "똠양꿍 쿠폰" }, "MMS에서 사용할 수 없는 문자(이모지 등)가 포함되어 있습니다: 똠" },
        { "mmsTitle", new { mmsTitle = new string('가', 21) }, "제목은 40byte(한글 20자)까지 입력할 수 있습니다." },
        { "mmsTitle", new { mmsTitle = "제목\n둘째 줄" }, "제목에는 줄바꿈을 넣을 수 없습니다." },
        { "mmsBody", new { mmsBody = new string('가', 1000) + "a" }, "내용은 2,000byte(한글 1,000자)까지 입력할 수 있습니다." },
        { "mmsBody", new { mmsBody = "안녕하세요 #{NAME}님" }, "'#{'는 메시지 변수로 해석되므로 사용할 수 없습니다." },
        { "mmsBody", new { mmsBody = "벨\u0007소리" }, "내용에 사용할 수 없는 문자(제어 문자, U+0007)가 있습니다. 지우고 다시 입력해 주세요." },
        // Issue 14: control and bidi characters in every free-text field, one e-mail rule.
        { "clientName", new { clientName = "한빛\u202E사상" }, "고객사에 사용할 수 없는 문자(글자 방향 제어 문자, U+202E)가 있습니다. 지우고 다시 입력해 주세요." },
        { "clientName", new { clientName = "한빛\u0000상사" }, "고객사에 사용할 수 없는 문자(제어 문자, U+0000)가 있습니다. 지우고 다시 입력해 주세요." },
        { "eventName", new { eventName = "연말\u2066이벤트\u2069" }, "이벤트명에 사용할 수 없는 문자(글자 방향 제어 문자, U+2066)가 있습니다. 지우고 다시 입력해 주세요." },
        { "salesManager", new { salesManager = "김\u202A영업" }, "영업담당자에 사용할 수 없는 문자(글자 방향 제어 문자, U+202A)가 있습니다. 지우고 다시 입력해 주세요." },
        { "clientRequester", new { clientRequester = "홍\u200B길동" }, "고객사 요청자에 사용할 수 없는 문자(보이지 않는 서식 문자, U+200B)가 있습니다. 지우고 다시 입력해 주세요." },
        { "mmsTitle", new { mmsTitle = "감사\u202D쿠폰" }, "제목에 사용할 수 없는 문자(글자 방향 제어 문자, U+202D)가 있습니다. 지우고 다시 입력해 주세요." },
        { "mmsBody", new { mmsBody = "첫 줄\n\u2067둘째 줄" }, "내용에 사용할 수 없는 문자(글자 방향 제어 문자, U+2067)가 있습니다. 지우고 다시 입력해 주세요." },
        { "requesterEmail", new { requesterEmail = "<script>@x.com" }, "유효하지 않은 이메일 형식입니다." },
        { "requesterEmail", new { requesterEmail = "a b@example.com" }, "유효하지 않은 이메일 형식입니다." },
        { "requesterEmail", new { requesterEmail = "buyer\u202E@example.com" }, "유효하지 않은 이메일 형식입니다." },
        { "senderNumber", new { senderNumber = "0299998888" }, "등록되지 않은 발신번호입니다. 설정에서 발신번호를 확인하세요." },
        { "senderNumber", new { senderNumber = "12ab" }, "발신자 번호는 숫자 8~11자리여야 합니다." },
        { "goodsId", new { goodsId = CampaignTestFactory.DiscontinuedGoodsId }, "선택한 상품이 판매 중지되었습니다. 다른 상품을 선택하세요." },
        { "goodsId", new { goodsId = "9999999999" }, "상품을 찾을 수 없습니다. 상품 검색에서 다시 선택하세요." },
        { "scheduledAt", new { scheduledAt = "2026/11/27 10:00" }, "발송 예약일시는 'YYYY-MM-DD HH:mm' 형식(한국 시간)으로 입력해 주세요." },
        { "scheduledAt", new { scheduledAt = "2026-11-25 09:59" }, "발송 예약일시가 이미 지났습니다. 현재 이후의 시각을 선택해 주세요." },
        { "scheduledAt", new { scheduledAt = "2027-02-24 10:00" }, "발송 예약일시는 90일 이내로 선택해 주세요." },
        { "sendMode", new { sendMode = "LATER" }, "발송 방식은 즉시(NOW) 또는 예약(AT)이어야 합니다." },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task Each_invalid_value_is_refused_with_its_field_and_message(string field, object change, string message)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var form = Merge(new { clientName = "고객사", eventName = "이벤트" }, change);

        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns");
        var problem = await CampaignApi.ProblemAsync(await client.PostAsJsonAsync("/api/campaigns", form), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Contains(message, CampaignApi.FieldErrors(problem, field));
        Assert.Equal(before, await factory.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns"));
    }

    [Fact]
    public async Task Limits_are_counted_in_euc_kr_bytes_not_characters()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        // 20 Hangul = 40 bytes; 40 ASCII = 40 bytes; 1,000 Hangul = 2,000 bytes, CRLF counted as one LF.
        var form = Merge(CampaignApi.FullForm(), new { mmsTitle = new string('가', 20), mmsBody = new string('나', 999) + "\r\na" });
        var created = await CampaignApi.ReadAsync(await client.PostAsJsonAsync("/api/campaigns", form), HttpStatusCode.Created);
        Assert.Equal(new string('나', 999) + "\na", created.GetProperty("mmsBody").GetString());

        var ascii = Merge(CampaignApi.FullForm(), new { mmsTitle = new string('a', 40) });
        await CampaignApi.ReadAsync(await client.PostAsJsonAsync("/api/campaigns", ascii), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Personal_fields_are_stored_encrypted_and_answered_masked()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var created = await CampaignApi.ReadAsync(await client.PostAsJsonAsync("/api/campaigns", CampaignApi.FullForm()), HttpStatusCode.Created);

        Assert.Equal("홍*동", created.GetProperty("clientRequester").GetString());
        Assert.Equal("02-****-1234", created.GetProperty("requesterPhone").GetString());
        Assert.Equal("r***@example.invalid", created.GetProperty("requesterEmail").GetString());
        var id = created.GetProperty("id").GetInt64();
        var stored = await factory.ScalarAsync<byte[]>("SELECT requester_email_enc FROM campaigns WHERE id = @id", new { id });
        Assert.DoesNotContain("requester@", System.Text.Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_replaces_the_draft_and_a_stale_version_is_refused()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client);
        var current = await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.OK);
        var version = current.GetProperty("version").GetInt32();

        var edited = await CampaignApi.ReadAsync(
            await client.PutAsJsonAsync($"/api/campaigns/{id}", Merge(CampaignApi.FullForm(), new { eventName = "바뀐 이벤트", version })), HttpStatusCode.OK);
        Assert.Equal("바뀐 이벤트", edited.GetProperty("eventName").GetString());

        var problem = await CampaignApi.ProblemAsync(
            await client.PutAsJsonAsync($"/api/campaigns/{id}", Merge(CampaignApi.FullForm(), new { eventName = "늦은 수정", version })), HttpStatusCode.Conflict, "campaign_changed");
        Assert.Contains("다른 사용자", problem.GetProperty("detail").GetString());
        Assert.Equal("바뀐 이벤트", await factory.ScalarAsync<string>("SELECT event_name FROM campaigns WHERE id = @id", new { id }));
        Assert.Contains(CouponDesk.Features.Audit.CampaignAuditEvents.Updated, factory.Audit.NamesFor(id));
    }

    [Fact]
    public async Task Viewers_cannot_create_and_unknown_campaigns_are_404()
    {
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/campaigns", CampaignApi.FullForm())).StatusCode);

        var client = await factory.CreateClientAsync(Roles.Operator);
        await CampaignApi.ProblemAsync(await client.GetAsync("/api/campaigns/987654"), HttpStatusCode.NotFound, "not_found");
        await CampaignApi.ProblemAsync(await client.PutAsJsonAsync("/api/campaigns/987654", CampaignApi.FullForm()), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_draft_can_be_deleted_with_its_recipients()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client);
        var staged = await CampaignApi.ReadAsync(await client.PostAsJsonAsync($"/api/campaigns/{id}/recipient-lists/quick", new { lines = new[] { "010-0000-0501" } }), HttpStatusCode.Created);
        var listId = staged.GetProperty("listId").GetInt64();
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{id}/recipient-lists/{listId}/accept", null), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/campaigns/{id}")).StatusCode);

        await CampaignApi.ProblemAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM recipient_list_rows WHERE list_id = @listId", new { listId }));
        Assert.Null(await factory.ScalarAsync<byte[]?>("SELECT client_requester_enc FROM campaigns WHERE id = @id", new { id }));
        Assert.Contains(CouponDesk.Features.Audit.CampaignAuditEvents.Deleted, factory.Audit.NamesFor(id));
    }

    internal static Dictionary<string, object?> Merge(object baseForm, object change)
    {
        var result = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(baseForm))!;
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(change))!)
        {
            result[key] = value;
        }

        return result;
    }
}
