using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Users;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.Tests.Campaigns;
using CouponDesk.Web.Validation;

namespace CouponDesk.Tests.Security;

/// <summary>
/// Issue 14 point 14: one free-text rule (no control, bidi or invisible format characters, a clear Korean message that
/// names the character) and one e-mail rule, the same on every input path.
/// </summary>
public sealed class FreeTextTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Theory]
    [InlineData("a\u0000b", "제어 문자, U+0000")]
    [InlineData("a\u0007b", "제어 문자, U+0007")]
    [InlineData("a\u009Bb", "제어 문자, U+009B")]
    [InlineData("a\nb", "줄바꿈, U+000A")]
    [InlineData("\u202Aa", "글자 방향 제어 문자, U+202A")]
    [InlineData("a\u202Eb", "글자 방향 제어 문자, U+202E")]
    [InlineData("a\u2066b", "글자 방향 제어 문자, U+2066")]
    [InlineData("a\u2069", "글자 방향 제어 문자, U+2069")]
    [InlineData("a\u200Bb", "보이지 않는 서식 문자, U+200B")]
    [InlineData("\uFEFFa", "보이지 않는 서식 문자, U+FEFF")]
    [InlineData("a\uFFFD", "깨진 문자, U+FFFD")]
    public void Control_bidi_format_and_broken_characters_are_named(string value, string named) =>
        Assert.Equal($"고객사에 사용할 수 없는 문자({named})가 있습니다. 지우고 다시 입력해 주세요.", FreeText.Check(value, "고객사"));

    // Not as InlineData: a lone surrogate does not survive the test case's serialisation (it arrives as U+FFFD).
    [Fact]
    public void A_lone_surrogate_is_named_as_a_broken_character()
    {
        Assert.Equal("고객사에 사용할 수 없는 문자(깨진 문자, U+D800)가 있습니다. 지우고 다시 입력해 주세요.", FreeText.Check("a\uD800b", "고객사"));
        Assert.Equal("고객사에 사용할 수 없는 문자(깨진 문자, U+DC00)가 있습니다. 지우고 다시 입력해 주세요.", FreeText.Check("\uDC00", "고객사"));
    }

    [Theory]
    [InlineData("한빛상사 (주)")]
    [InlineData("Café & Co. 😀")]
    [InlineData("")]
    [InlineData(null)]
    public void Ordinary_text_passes(string? value) => Assert.Null(FreeText.Check(value, "고객사"));

    [Fact]
    public void A_multi_line_field_keeps_line_breaks_and_tabs_but_not_other_controls()
    {
        Assert.Null(FreeText.Check("첫 줄\r\n둘째\t줄", "메모", multiline: true));
        Assert.NotNull(FreeText.Check("첫 줄\n\u202E둘째", "메모", multiline: true));
        Assert.NotNull(FreeText.Check("첫 줄\u0000", "메모", multiline: true));
    }

    public static TheoryData<string, bool> Emails => new()
    {
        { "buyer@example.com", true },
        { "first.last+tag@mail.example.co.kr", true },
        { "o'brien@example.com", true },
        { "x@x.io", true },
        { "<script>@x.com", false },
        { "a b@example.com", false },
        { "\"quoted\"@example.com", false },
        { "buyer\u202E@example.com", false },
        { "buyer\u0000@example.com", false },
        { "홍길동@example.com", false },
        { "buyer@exam_ple.com", false },
        { "buyer@example", false },
        { "buyer@example.c", false },
        { ".buyer@example.com", false },
        { "buy..er@example.com", false },
        { "buyer@@example.com", false },
        { "buyer@-example.com", false },
    };

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task Requester_and_user_e_mails_follow_the_same_rule(string email, bool valid)
    {
        Assert.Equal(valid, EmailAddress.IsValid(email));
        var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        var draft = await operatorClient.PostAsJsonAsync("/api/campaigns", new { clientName = "고객사", eventName = "이벤트", requesterEmail = email });
        Assert.Equal(valid ? HttpStatusCode.Created : HttpStatusCode.BadRequest, draft.StatusCode);

        var admin = await factory.CreateClientAsync(Roles.Admin);
        var loginId = "em" + Guid.NewGuid().ToString("N")[..10];
        var user = await admin.PostAsJsonAsync("/api/users", new { loginId, password = "Quiet-River-2047", email, role = Roles.Viewer, status = "ACTIVE" });
        Assert.Equal(valid ? HttpStatusCode.Created : HttpStatusCode.BadRequest, user.StatusCode);
        if (!valid)
        {
            Assert.Equal([UserFields.EmailMessage], CampaignApi.FieldErrors(await user.JsonAsync(HttpStatusCode.BadRequest), "email"));
        }
    }

    [Fact]
    public async Task Reasons_descriptions_and_login_ids_refuse_bidi_and_control_characters()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var description = await admin.PostAsJsonAsync("/api/settings/sender-numbers", new { number = "0311119999", description = "지점\u202E" });
        Assert.Equal(
            ["설명에 사용할 수 없는 문자(글자 방향 제어 문자, U+202E)가 있습니다. 지우고 다시 입력해 주세요."],
            CampaignApi.FieldErrors(await description.JsonAsync(HttpStatusCode.BadRequest), "description"));

        var campaignId = await CampaignApi.CreateAsync(admin);
        var export = await admin.PostAsJsonAsync($"/api/campaigns/{campaignId}/export/unmasked", new { reason = "고객 요청\u0000" });
        Assert.Equal(
            ["마스킹 해제 사유에 사용할 수 없는 문자(제어 문자, U+0000)가 있습니다. 지우고 다시 입력해 주세요."],
            CampaignApi.FieldErrors(await export.JsonAsync(HttpStatusCode.BadRequest), "reason"));

        var cancel = await admin.PostAsJsonAsync($"/api/campaigns/{campaignId}/cancel", new { reason = "\u2066취소\u2069" });
        Assert.Equal(
            ["취소 사유에 사용할 수 없는 문자(글자 방향 제어 문자, U+2066)가 있습니다. 지우고 다시 입력해 주세요."],
            CampaignApi.FieldErrors(await cancel.JsonAsync(HttpStatusCode.BadRequest), "reason"));

        // A login id with a bidi override gets the generic answer before any lookup, and leaves no audit row to mislead.
        var before = await factory.CountAuditAsync("auth.login");
        await (await factory.CreateClient().LoginRaw("admin\u202E", "Quiet-River-2047")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await factory.CountAuditAsync("auth.login"));
    }
}
