namespace CouponDesk.Web.Frontend;

/// <summary>
/// Headers that make the operator pages safe by construction: a Content-Security-Policy that runs only our own
/// scripts and styles (no inline code, no CDN), no framing, no MIME sniffing, no referrer. The API reference at
/// <c>/docs</c> (Scalar) ships inline code of its own and keeps its defaults.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (!context.Request.Path.StartsWithSegments("/docs"))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        return next(context);
    }
}
