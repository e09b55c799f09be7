using System.Net;

namespace CouponDesk.Web.Frontend;

/// <summary>
/// A browser that opens an unknown address in the page space (a typo, a menu that is not in this release, a stale
/// bookmark) gets the Korean 404 page in the layout, with a way back — not the API's problem+json (issue 14 point 13).
/// Only navigations are served so: GET/HEAD that accept <c>text/html</c>, no endpoint matched, outside the API, health,
/// docs and OpenAPI paths. Everything else falls through to the problem-details 404.
/// </summary>
public sealed class NotFoundPageMiddleware(RequestDelegate next, IWebHostEnvironment environment)
{
    public const string PageFile = "404.html";

    private static readonly string BaseSelfPolicy =
        SecurityHeadersMiddleware.ContentSecurityPolicy.Replace("base-uri 'none'", "base-uri 'self'", StringComparison.Ordinal);

    private static readonly string[] NotPages = ["/api", "/health", "/docs", "/openapi"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsPageNavigation(context) || environment.WebRootFileProvider.GetFileInfo(PageFile) is not { Exists: true } file)
        {
            await next(context);
            return;
        }

        string html;
        await using (var stream = file.CreateReadStream())
        using (var reader = new StreamReader(stream))
        {
            html = await reader.ReadToEndAsync(context.RequestAborted);
        }

        // The page is served at any depth (/a/b/c): its relative links resolve against the site root (or the path base).
        var root = WebUtility.HtmlEncode(context.Request.PathBase.Value + "/");
        html = html.Replace("<base href=\"/\">", $"<base href=\"{root}\">", StringComparison.Ordinal);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        // The one page with a <base>: allowed to point at our own origin only.
        context.Response.Headers.ContentSecurityPolicy = BaseSelfPolicy;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(html, context.RequestAborted);
        }
    }

    private static bool IsPageNavigation(HttpContext context)
    {
        var request = context.Request;
        if (context.GetEndpoint() is not null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return false;
        }

        var path = request.Path;
        if (NotPages.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return request.Headers.Accept.Any(accept => accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
