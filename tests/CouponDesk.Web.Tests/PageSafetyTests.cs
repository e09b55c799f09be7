using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace CouponDesk.Web.Tests;

/// <summary>
/// Safe by construction (issue 9): no inline script or style in any page, no HTML-parsing sinks in our scripts, only
/// vendored files (no CDN), and the headers the back office sends with the pages.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class PageSafetyTests(WebUiFixture fixture)
{
    private static IEnumerable<string> Pages => Directory.EnumerateFiles(WebUiFixture.WebRoot, "*.html");

    private static IEnumerable<string> OurScripts =>
        Directory.EnumerateFiles(WebUiFixture.WebRoot, "*.js", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}vendor{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void Pages_have_no_inline_scripts_styles_or_handlers_and_load_nothing_from_elsewhere()
    {
        Assert.NotEmpty(Pages);
        foreach (var file in Pages)
        {
            var html = File.ReadAllText(file);
            var name = Path.GetFileName(file);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(StyleElementOrAttribute(), html);
            Assert.DoesNotMatch(EventHandlerAttribute(), html);
            Assert.False(ExternalReference().IsMatch(html), $"{name} loads something from another host");
        }
    }

    [Fact]
    public void Our_scripts_never_parse_html_from_strings()
    {
        Assert.NotEmpty(OurScripts);
        foreach (var file in OurScripts)
        {
            var text = File.ReadAllText(file);
            Assert.False(HtmlSink().IsMatch(text), $"{Path.GetFileName(file)} uses an HTML-parsing sink");
            Assert.DoesNotContain("localStorage", text.Replace("never in localStorage", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pages_are_served_with_the_content_security_policy_and_without_framing()
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var response = await client.GetAsync("/");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>대시보드", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        // An origin that is not on Web:CorsOrigins gets no CORS permission.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await client.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        _ = new MediaTypeHeaderValue("text/html");
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style\b|\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElementOrAttribute();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"(src|href)\s*=\s*""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(")]
    private static partial Regex HtmlSink();
}
