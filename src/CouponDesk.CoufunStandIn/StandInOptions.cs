using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.CoufunStandIn;

/// <summary>Settings of the COUFUN stand-in (section <c>StandIn</c>). Every [S] choice of spec §10 is one of these.</summary>
public sealed class StandInOptions : ISelfValidatingSettings
{
    public const string Section = "StandIn";

    /// <summary>MySqlConnector connection string of the stand-in's own database (created with its tables when missing).</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>The one POC_ID this stand-in serves (≤ 10 bytes).</summary>
    [Required]
    [StringLength(10, MinimumLength = 1)]
    public string PocId { get; set; } = "TESTPOC01";

    /// <summary>Suspended POC_ID: every call answers 02.</summary>
    public bool PocSuspended { get; set; }

    /// <summary>Caller addresses registered for the POC_ID (code 01 otherwise). Empty: loopback only.</summary>
    /// <remarks>Lists start empty: the configuration binder appends to a list, so defaults live in the getters below.</remarks>
    public List<string> AllowedCallers { get; set; } = [];

    /// <summary>Functions enabled for the POC_ID (98 otherwise): product, create, status, cancel. Empty: all four.</summary>
    public List<string> EnabledFunctions { get; set; } = [];

    public IReadOnlyList<string> EffectiveAllowedCallers => AllowedCallers.Count > 0 ? AllowedCallers : ["127.0.0.1", "::1"];

    public IReadOnlyList<string> EffectiveEnabledFunctions => EnabledFunctions.Count > 0 ? EnabledFunctions : ["product", "create", "status", "cancel"];

    /// <summary>Last KST day of the integration period (05 afterwards); empty = open-ended.</summary>
    public DateOnly? IntegrationEndsOn { get; set; }

    /// <summary>Path prefix of the four endpoints.</summary>
    [Required]
    public string PathPrefix { get; set; } = "/b2c_api/";

    /// <summary>Product-list calls per POC_ID per KST day before code 09 (undocumented value; configurable).</summary>
    [Range(1, 100_000)]
    public int ProductListDailyLimit { get; set; } = 10;

    /// <summary>Coupons one POC_ID may hold in total before code 95.</summary>
    [Range(1, int.MaxValue)]
    public int IssuanceCeiling { get; set; } = 10_000_000;

    /// <summary>Digits of a generated BARCODE_NUM.</summary>
    [Range(10, 30)]
    public int BarcodeDigits { get; set; } = 12;

    /// <summary>Status of an expired coupon: false answers 00 with STATUS=000 (default), true answers 04.</summary>
    public bool ExpiredStatusAnswers04 { get; set; }

    /// <summary>Base URL written into IMAGE_PATH_*; empty = the scheme and host the caller used.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where exchange pushes go (the back office's receiver); empty = pushes are recorded but not sent.</summary>
    public string? ExchangePushUrl { get; set; }

    /// <summary>Delay before a push that did not get 00 is tried again (the manual's 10 minutes).</summary>
    public TimeSpan PushRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts per push event before the stand-in gives up (undocumented at COUFUN).</summary>
    [Range(1, 10_000)]
    public int PushMaxAttempts { get; set; } = 144;

    /// <summary>How often the push outbox is polled.</summary>
    public TimeSpan PushPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one push POST.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Random uses per minute of unused coupons (0 = off), each followed by its push.</summary>
    [Range(0, 10_000)]
    public double RandomUsesPerMinute { get; set; }

    /// <summary>Fault injection in effect at start-up; the control API can replace it at run time.</summary>
    public FaultSettings Faults { get; set; } = new();

    /// <summary>The usage simulator in effect at start-up (off by default); the control API can replace it at run time.</summary>
    public Push.SimulatorSettings Simulator { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (!PathPrefix.StartsWith('/') || !PathPrefix.EndsWith('/'))
        {
            yield return "PathPrefix: must start and end with '/'";
        }

        if (PushRetryInterval <= TimeSpan.Zero || PushPollInterval <= TimeSpan.Zero || PushTimeout <= TimeSpan.Zero)
        {
            yield return "PushRetryInterval: push intervals and timeouts must be positive";
        }

        if (!string.IsNullOrWhiteSpace(ExchangePushUrl) && !Uri.TryCreate(ExchangePushUrl, UriKind.Absolute, out _))
        {
            yield return "ExchangePushUrl: must be an absolute URL";
        }

        foreach (var problem in Faults.Validate())
        {
            yield return $"Faults:{problem}";
        }

        foreach (var problem in Simulator.Validate())
        {
            yield return $"Simulator:{problem}";
        }
    }
}
