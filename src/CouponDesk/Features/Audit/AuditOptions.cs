using System.ComponentModel.DataAnnotations;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Audit;

public sealed class AuditOptions : ISelfValidatingSettings
{
    public const string Section = "Security:Audit";

    /// <summary>
    /// HMAC-SHA256 key of the hash chain (base64 of 32 bytes). Keyed, so someone who can write the database but does not
    /// hold the key cannot recompute the chain after editing a row.
    /// </summary>
    [Required]
    [Secret]
    public string ChainKey { get; set; } = "";

    /// <summary>Audit rows older than this are deleted by the monthly purge (spec §7.5: 5 years).</summary>
    [Range(1, 20)]
    public int RetentionYears { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(ChainKey) && !KeyMaterial.TryDecode(ChainKey, out _))
        {
            yield return "ChainKey: must be base64 of exactly 32 bytes";
        }
    }
}
