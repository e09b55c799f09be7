using Microsoft.Playwright;

namespace CouponDesk.Web.Tests;

/// <summary>
/// One browser context (a fresh profile: its own sessionStorage) with one page, recording every console error,
/// uncaught exception, 5xx answer and failed request so that a test can assert there were none.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> errors = [];

    private BrowserSession(IBrowserContext context, IPage page, Uri baseAddress)
    {
        Context = context;
        Page = page;
        BaseAddress = baseAddress;
        Watch(page);
        // Tabs the test opens (Ctrl+click, NewPageAsync) are held to the same standard as the first one.
        context.Page += (_, opened) => Watch(opened);
    }

    private void Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            // An API refusal (4xx) is an answer the page shows to the user, not a fault; Chromium still logs it.
            if (message.Type == "error" && !IsApiRefusal(message))
            {
                Record($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
            {
                Record($"HTTP {response.Status}: {response.Request.Method} {new Uri(response.Url).AbsolutePath}");
            }
        };
        // A request the page itself abandoned (it navigated away, a stream it closed) is no fault of the server.
        page.RequestFailed += (_, request) =>
        {
            if (request.Failure is { } failure && !failure.Contains("ERR_ABORTED", StringComparison.Ordinal))
            {
                Record($"request failed: {request.Method} {new Uri(request.Url).AbsolutePath}: {failure}");
            }
        };
    }

    private void Record(string error)
    {
        lock (errors)
        {
            errors.Add(error);
        }
    }

    public IBrowserContext Context { get; }

    private static bool IsApiRefusal(IConsoleMessage message) =>
        message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)
        && message.Location.Contains("/api/", StringComparison.Ordinal);

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }

    public static Task<BrowserSession> OpenAsync(WebUiFixture fixture, int width = 1280, int height = 800) =>
        OpenAsync(fixture.Browser, fixture.BaseAddress, width, height);

    /// <summary>A session on another back office than the shared one (a test's own <see cref="WebStack"/>).</summary>
    public static async Task<BrowserSession> OpenAsync(IBrowser browser, Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "ko-KR",
            TimezoneId = "Asia/Seoul",
            // Downloads are kept so that a test can open the files the pages hand out.
            AcceptDownloads = true,
        });
        // Generous: on a loaded 2-core machine a login (bcrypt + page load) can take seconds; tests are bounded by their own timeouts.
        context.SetDefaultTimeout(25_000);
        // Expect(...) assertions have their own default (5 s), which a filtered list reload under load has outrun.
        Assertions.SetDefaultExpectTimeout(25_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, baseAddress);
    }

    public Task<IResponse?> GoAsync(string path) => Page.GotoAsync(new Uri(BaseAddress, path).ToString());

    /// <summary>Signs in through the login form and waits for the dashboard.</summary>
    public async Task LoginAsync(WebUiFixture.Account account)
    {
        await GoAsync("login.html");
        await Page.FillAsync("#username", account.LoginId);
        await Page.FillAsync("#password", account.Password);
        // The waiter is set up before the click and waits only for the navigation to commit: the click's own
        // navigation can no longer slip past it, and the dashboard's full "load" (every script, style and web font on
        // a loaded machine) is not on the critical path — the page's own ready state below is.
        var navigated = Page.WaitForURLAsync("**/index.html", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Page.ClickAsync("#login-submit");
        await navigated;
        await Page.Locator("body:not(.cd-pending) #cd-menu").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
    }

    /// <summary>Waits until a signed-in page passed its session and role checks and drew itself.</summary>
    public Task ReadyAsync() => Page.Locator("body:not(.cd-pending) #cd-menu").WaitForAsync();

    public async Task ScreenshotAsync(string name)
    {
        var size = Page.ViewportSize!;
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(WebUiFixture.ScreenshotDirectory, $"{name}-{size.Width}x{size.Height}.png"),
            FullPage = false,
        });
    }

    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "Browser errors:\n" + string.Join("\n", Errors));

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
