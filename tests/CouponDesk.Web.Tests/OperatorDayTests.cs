using System.Text;
using System.Text.RegularExpressions;
using CouponDesk.Security;
using Dapper;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Issue 14's operator day, on the real parts: a fresh back office with the pipeline and the real Quartz jobs
/// (result sync every 5 s, the shortest its setting allows), the COUFUN and SNAP stand-ins, an empty catalog. An ADMIN
/// syncs the products, registers two campaigns through the pages (quick entry, and an .xlsx upload with a bad row),
/// waits for delivery while the result-sync job and the coupon status follow-up run, then opens the dashboard,
/// 발송조회, the campaign's detail, every download the pages offer, 감사로그, and logs out. Any 5xx answer, console error
/// or failed request fails it (<see cref="BrowserSession"/>).
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class OperatorDayTests(WebUiFixture fixture)
{
    private static readonly string[] QuickPhones = ["010-0000-5101", "010-0000-5102", "010-0000-5103"];
    private static readonly string[] FilePhones = ["010-0000-5201", "01000005202", "010 0000 5203", "010.0000.5204"];

    [Fact(Timeout = 300_000)]
    public async Task An_operator_lives_a_day_with_the_real_jobs_running_and_every_page_answers()
    {
        await using var stack = await WebStack.StartAsync("web,worker,jobs", syncCatalog: false, WebUiFixture.RealJobs);
        var admin = await stack.CreateAccountAsync(Roles.Admin);
        await using var browser = await BrowserSession.OpenAsync(fixture.Browser, stack.BaseAddress, 1920, 1080);
        var page = browser.Page;
        await browser.LoginAsync(admin);

        // 1. Products: the catalog is empty on a fresh machine; the ADMIN syncs it from the page.
        await page.ClickAsync("#cd-menu [data-menu=products]");
        await browser.ReadyAsync();
        await page.ClickAsync("#sync-now");
        await page.Locator(".modal.show button", new PageLocatorOptions { HasText = "확인" }).ClickAsync();
        await Assertions.Expect(page.Locator("#product-table tbody tr:not(.cd-empty)").First).ToBeVisibleAsync(new() { Timeout = 90_000 });

        // 2. A campaign from quick entry.
        var quickEvent = "첫날 간편 " + Guid.NewGuid().ToString("N")[..6];
        await page.ClickAsync("#cd-menu [data-menu=register]");
        await browser.ReadyAsync();
        await RegisterForm.FillClientAsync(page, quickEvent, RegisterForm.Tomorrow("10:00"));
        await RegisterForm.PickProductAsync(page, "아메리카노");
        await RegisterForm.FillMessageAsync(page);
        await RegisterForm.QuickEntryAsync(page, QuickPhones);
        var (_, quickId) = await RegisterForm.SubmitAsync(page);
        await Assertions.Expect(page.Locator("#cd-flash")).ToContainTextAsync("발송 요청이 완료되었습니다.");

        // 3. A campaign from an .xlsx upload (the template first, then a file with one bad row and its error list).
        var fileEvent = "첫날 엑셀 " + Guid.NewGuid().ToString("N")[..6];
        await page.ClickAsync("#cd-menu [data-menu=register]");
        await browser.ReadyAsync();
        await RegisterForm.FillClientAsync(page, fileEvent, RegisterForm.Tomorrow("10:30"));
        await RegisterForm.PickProductAsync(page, "글레이즈드");
        await RegisterForm.FillMessageAsync(page, title: "엑셀 쿠폰");
        await page.ClickAsync("#tab-bulk");
        var template = await DownloadAsync(browser, () => page.ClickAsync("#template-download"), ".xlsx");
        Assert.Matches("[가-힣]", template.Name);
        Assert.Equal("PK", Encoding.ASCII.GetString(template.Bytes, 0, 2));
        await page.SetInputFilesAsync("#recipientFile", new FilePayload
        {
            Name = "수신자.xlsx",
            MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = Workbook([.. FilePhones, "011-123-4567"]),
        });
        await Assertions.Expect(page.Locator("#recipient-summary")).ToContainTextAsync($"정상 {FilePhones.Length}건", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#recipient-errors")).ToContainTextAsync("전화번호 형식 오류");
        var errorList = await DownloadAsync(browser, () => page.ClickAsync("#errors-download"), ".csv");
        Assert.StartsWith("수신자_오류목록_", errorList.Name, StringComparison.Ordinal);
        Assert.Contains("전화번호 형식 오류", Encoding.UTF8.GetString(errorList.Bytes), StringComparison.Ordinal);
        var (_, fileId) = await RegisterForm.SubmitAsync(page, withRecipientErrors: true);

        // 4. Delivery with the real jobs: both campaigns brought to "now"; results arrive only through the Quartz job.
        await stack.BringForwardAsync(quickId, TimeSpan.FromSeconds(15));
        await stack.BringForwardAsync(fileId, TimeSpan.FromSeconds(15));
        await stack.WaitForStatusAsync(quickId, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR");
        await stack.WaitForStatusAsync(fileId, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR");
        Assert.Equal("COMPLETED", await stack.CampaignStatusAsync(quickId));
        Assert.Equal("COMPLETED", await stack.CampaignStatusAsync(fileId));
        await using (var db = await stack.OpenAsync())
        {
            Assert.True(await db.ExecuteScalarAsync<long>(
                "SELECT COALESCE(MAX(PREV_FIRE_TIME), 0) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'snap-result-sync'") > 0, "the result-sync job never fired");
        }

        // 5. The dashboard after the jobs fired: today's deliveries, the result sync's last run, no error banner.
        var total = QuickPhones.Length + FilePhones.Length;
        await page.ClickAsync("#cd-menu [data-menu=dashboard]");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#today-succeeded")).ToHaveTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#stat-success")).ToHaveTextAsync("100.0%");
        await Assertions.Expect(page.Locator("#dash-health")).ToContainTextAsync("결과 동기화");
        await Assertions.Expect(page.Locator("#dash-health")).ToContainTextAsync(new Regex(@"실행 \d{4}-\d{2}-\d{2} \d{2}:\d{2}"));
        await Assertions.Expect(page.Locator("#dash-alert .alert-danger")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("dashboard-finished");

        // 6. 발송조회 and its export.
        await page.ClickAsync("#cd-menu [data-menu=campaigns]");
        await browser.ReadyAsync();
        var quickRow = page.Locator("#campaign-table tbody tr", new PageLocatorOptions { HasText = quickEvent });
        await Assertions.Expect(quickRow).ToContainTextAsync("완료");
        await Assertions.Expect(page.Locator("#campaign-table tbody tr", new PageLocatorOptions { HasText = fileEvent })).ToContainTextAsync("완료");
        var list = await DownloadAsync(browser, () => page.ClickAsync("#campaign-list-export"), ".xlsx");
        Assert.Matches(@"^발송조회_\d{12}\.xlsx$", list.Name);
        Assert.Contains(quickEvent, EventNames(list.Bytes));

        // 7. The finished campaign's detail: its recipients, no rate noise, the masked and the unmasked export.
        await quickRow.Locator("a", new LocatorLocatorOptions { HasText = "보기" }).ClickAsync();
        await page.WaitForURLAsync($"**/campaign.html?id={quickId}");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#progress-stats")).ToContainTextAsync("완료");
        await Assertions.Expect(page.Locator("#recipient-table tbody tr[data-item]")).ToHaveCountAsync(QuickPhones.Length);
        await Assertions.Expect(page.Locator("#progress-stats")).Not.ToContainTextAsync("처리 속도");
        await Assertions.Expect(page.Locator("#reconciliation-card")).ToContainTextAsync(QuickPhones.Length + "건");
        var number = await page.Locator("#campaign-panel dd").First.InnerTextAsync();
        await page.ClickAsync("#campaign-export");
        var exportDialog = page.Locator(".modal.show", new PageLocatorOptions { HasText = "엑셀 다운받기" });
        var detail = await DownloadAsync(browser, () => exportDialog.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync(), ".xlsx");
        Assert.Matches($@"^발송상세내역_{Regex.Escape(number)}_\d{{12}}\.xlsx$", detail.Name);
        await page.ClickAsync("#campaign-export");
        await page.CheckAsync("#export-unmask");
        await page.FillAsync("#export-reason", "고객사 요청 대조");
        var unmasked = await DownloadAsync(browser, () => exportDialog.Locator("button", new LocatorLocatorOptions { HasText = "확인" }).ClickAsync(), ".xlsx");
        Assert.Contains("(원본)", unmasked.Name, StringComparison.Ordinal);

        // 8. 발급 확인 필요 and its CSV.
        await page.ClickAsync("#cd-menu [data-menu=in-doubt]");
        await browser.ReadyAsync();
        await DownloadAsync(browser, () => page.ClickAsync("#in-doubt-export"), ".csv");

        // 9. 감사로그: the day's actions are there, the CSV reads as UTF-8 with readable Korean.
        await page.ClickAsync("#cd-menu [data-menu=audit]");
        await browser.ReadyAsync();
        await Assertions.Expect(page.Locator("#audit-table tbody tr").First).ToBeVisibleAsync();
        var audit = await DownloadAsync(browser, () => page.ClickAsync("#audit-export"), ".csv");
        Assert.True(Utf8Bom(audit.Bytes), "the audit CSV starts with a UTF-8 BOM");
        var auditText = Encoding.UTF8.GetString(audit.Bytes);
        Assert.DoesNotContain("\\u", auditText, StringComparison.Ordinal);
        Assert.DoesNotContain("0100000510", auditText, StringComparison.Ordinal);

        // 10. Logout.
        await page.ClickAsync("#cd-logout");
        await page.Locator(".modal.show button", new PageLocatorOptions { HasText = "확인" }).ClickAsync();
        await page.WaitForURLAsync("**/login.html");
        browser.AssertNoErrors();
    }

    private sealed record Downloaded(string Name, byte[] Bytes);

    /// <summary>A download the page starts: its name (kept in Korean, spec §3.3.4) and content.</summary>
    private static async Task<Downloaded> DownloadAsync(BrowserSession browser, Func<Task> click, string extension)
    {
        var download = await browser.Page.RunAndWaitForDownloadAsync(click);
        var name = download.SuggestedFilename;
        Assert.EndsWith(extension, name, StringComparison.Ordinal);
        // The ASCII fallback of Content-Disposition turns every Hangul syllable into '_' (issue 14 point 2).
        Assert.DoesNotContain("__", name, StringComparison.Ordinal);
        var path = await download.PathAsync();
        return new Downloaded(name, await File.ReadAllBytesAsync(path));
    }

    private static bool Utf8Bom(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;

    private static byte[] Workbook(IEnumerable<string> phones)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(phones.Select(p => new Dictionary<string, object> { ["휴대폰번호"] = p }).ToList());
        return stream.ToArray();
    }

    private static List<string> EventNames(byte[] workbook)
    {
        using var stream = new MemoryStream(workbook);
        return [.. MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().Select(r => r.TryGetValue("이벤트명", out var v) ? v?.ToString() ?? "" : "")];
    }
}
