using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Privacy;

/// <summary>How fast a key rotation re-encrypts: small batches with a pause keep the database usable meanwhile.</summary>
public sealed class KeyRotationOptions
{
    public const string Section = "Security:PiiRotation";

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    [Range(0, 10_000)]
    public int PauseMilliseconds { get; set; } = 20;
}
