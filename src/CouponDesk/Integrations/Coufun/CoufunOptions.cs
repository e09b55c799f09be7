using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Integrations.Coufun;

/// <summary>How CouponDesk reaches COUFUN (section <c>Coufun</c>). The base URL is one value per environment (spec §1).</summary>
public sealed class CoufunOptions : ISelfValidatingSettings
{
    public const string Section = "Coufun";

    /// <summary>Scheme, host, port and path prefix ending in '/', e.g. <c>https://coufun-test.example/b2c_api/</c>.</summary>
    [Required]
    public string BaseUrl { get; set; } = "";

    /// <summary>Our client id, sent on every call (≤ 10 bytes).</summary>
    [Required]
    [StringLength(10, MinimumLength = 1)]
    [RegularExpression("^[A-Za-z0-9]+$")]
    public string PocId { get; set; } = "";

    /// <summary>TCP connect timeout (spec §1: 5 s).</summary>
    [Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>Whole-request timeout of one attempt (spec §1: 30 s).</summary>
    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Extra attempts for calls that are safe to repeat (product list, status, cancel) after a transport failure.</summary>
    [Range(0, 5)]
    public int ReadRetries { get; set; } = 2;

    /// <summary>Calls in flight to COUFUN at once, across all processes when Redis is configured.</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Calls started per second, across all processes when Redis is configured.</summary>
    [Range(1, 10_000)]
    public int CallsPerSecond { get; set; } = 50;

    /// <summary>Largest answer we read (the whole catalog comes in one answer).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !BaseUrl.EndsWith('/'))
        {
            yield return "BaseUrl: must be an absolute http(s) URL ending in '/'";
        }
    }
}
