using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Web.Frontend;

/// <summary>The operator web UI (section <c>Web</c>): which other origins may call the API from a browser.</summary>
public sealed class WebFrontendOptions : IValidatableObject
{
    public const string Section = "Web";

    /// <summary>
    /// Origins (scheme://host[:port], no path) whose pages may call the API, for the pages opened from another host.
    /// Empty: only the back office's own pages (same origin, no CORS needed). <c>null</c> admits pages opened from
    /// files (browsers send <c>Origin: null</c>); development only — sandboxed frames of any site send it too.
    /// </summary>
    public string[] CorsOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in CorsOrigins)
        {
            if (origin == "null")
            {
                continue;
            }

            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || origin.EndsWith('/') || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                yield return new ValidationResult(
                    $"'{origin}' is not an origin: use scheme://host[:port] without a path or a trailing slash (never '*')",
                    [nameof(CorsOrigins)]);
            }
        }
    }
}
