using System.Text;
using System.Text.RegularExpressions;
using CouponDesk.Data;
using CouponDesk.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14 point 2: every download arrives under its Korean name (the header's RFC 6266 <c>filename*</c>, not ASP.NET's
/// ASCII fallback "_____…"), and the 감사로그 CSV is readable UTF-8 with a BOM — no <c>\uXXXX</c> escapes in 상세.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class DownloadNamesTests(WebUiFixture fixture)
{
    [Fact(Timeout = 150_000)]
    public async Task Every_download_keeps_its_korean_name_and_the_audit_csv_is_readable_utf8()
    {
        var admin = await fixture.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture, 1600, 1000);
        var page = browser.Page;
        await browser.LoginAsync(admin);
        var eventName = "다운로드 이벤트 " + Guid.NewGuid().ToString("N")[..6];
        var id = await page.EvaluateAsync<long>(
            "async (name) => (await CD.api('POST', '/api/campaigns', { body: { clientName: '한빛상사', eventName: name } })).id", eventName);
        await ScheduleFarAheadAsync(id);

        // 발송조회 list.
        await browser.GoAsync("campaigns.html");
        await browser.ReadyAsync();
        Assert.Matches(ListName(), await DownloadAsync(page, "#campaign-list-export"));

        // The campaign's detail, masked and (ADMIN, with a reason) 원본.
        await browser.GoAsync($"campaign.html?id={id}");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#campaign-title")).ToContainTextAsync(eventName);
        await page.ClickAsync("#campaign-export");
        var dialog = page.Locator(".modal.show");
        await Assertions.Expect(dialog).ToContainTextAsync("마스킹 해제");
        Assert.Matches(DetailName(), await DownloadAsync(page, dialog.Locator("button", new() { HasText = "확인" })));
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await page.ClickAsync("#campaign-export");
        await page.CheckAsync("#export-unmask");
        await page.FillAsync("#export-reason", "고객사 요청 확인");
        Assert.Matches(OriginalName(), await DownloadAsync(page, page.Locator(".modal.show button", new() { HasText = "확인" })));

        // 발송등록: the recipient template and an upload's error list.
        await browser.GoAsync("register.html");
        await browser.ReadyAsync();
        await page.FillAsync("#clientName", "한빛상사");
        await page.FillAsync("#eventName", eventName + " 등록");
        await page.ClickAsync("#tab-bulk");
        Assert.Equal("수신자_등록_샘플.xlsx", await DownloadAsync(page, "#template-download"));
        await page.SetInputFilesAsync("#recipientFile", new FilePayload
        {
            Name = "수신자.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("휴대폰번호\n010-0000-1101\nabc\n"),
        });
        await Assertions.Expect(page.Locator("#recipient-summary")).ToContainTextAsync("오류 1건");
        Assert.Matches(ErrorsName(), await DownloadAsync(page, "#errors-download"));

        // 발급 확인 필요 CSV.
        await browser.GoAsync("in-doubt.html");
        await browser.ReadyAsync();
        Assert.Matches(InDoubtName(), await DownloadAsync(page, "#in-doubt-export"));

        // 감사로그 CSV: Korean name, BOM, readable Korean in 상세 (the detail export above wrote its Korean file name there).
        await browser.GoAsync("audit.html");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#audit-table tbody tr").First).ToBeVisibleAsync();
        var audit = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#audit-export"));
        Assert.Matches(AuditName(), audit.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await audit.PathAsync())!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("\"일시\",\"사용자\"", text, StringComparison.Ordinal);
        Assert.Contains("발송상세내역_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        browser.AssertNoErrors();
    }

    private static async Task<string> DownloadAsync(IPage page, string selector) => await DownloadAsync(page, page.Locator(selector));

    private static async Task<string> DownloadAsync(IPage page, ILocator button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
        return download.SuggestedFilename;
    }

    private async Task ScheduleFarAheadAsync(long id)
    {
        await using var connection = await fixture.BackOffice.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var at = DateTime.UtcNow.AddDays(30);
        await connection.ExecuteAsync("UPDATE campaigns SET status = 'SCHEDULED', send_mode = 'AT', scheduled_at = @at, start_at = @at WHERE id = @id", new { id, at });
    }

    [GeneratedRegex(@"^발송조회_\d{12}\.xlsx$")]
    private static partial Regex ListName();

    [GeneratedRegex(@"^발송상세내역_[A-Za-z0-9-]+_\d{12}\.xlsx$")]
    private static partial Regex DetailName();

    [GeneratedRegex(@"^발송상세내역_[A-Za-z0-9-]+_\d{12}\(원본\)\.xlsx$")]
    private static partial Regex OriginalName();

    [GeneratedRegex(@"^수신자_오류목록_\d+_\d+\.csv$")]
    private static partial Regex ErrorsName();

    [GeneratedRegex(@"^발급확인필요_\d{12}\.csv$")]
    private static partial Regex InDoubtName();

    [GeneratedRegex(@"^감사로그_\d{12}\.csv$")]
    private static partial Regex AuditName();
}
