using System.ComponentModel.DataAnnotations;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Security.Authentication;

/// <summary>
/// Access-token signing (HMAC-SHA256). Keys by key id: tokens name their key (<c>kid</c>), so a new key can be made
/// active while tokens signed with the previous one stay valid until they expire (at most the absolute session lifetime).
/// </summary>
public sealed class JwtOptions : ISelfValidatingSettings
{
    public const string Section = "Security:Jwt";

    /// <summary>Signing keys by key id; each base64 of 32 random bytes (<c>dev-only-</c> prefix for development defaults).</summary>
    [Secret]
    public Dictionary<string, string> SigningKeys { get; set; } = [];

    [Required]
    public string ActiveKeyId { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "CouponDesk";

    [Required]
    public string Audience { get; set; } = "CouponDesk";

    public IEnumerable<string> Validate()
    {
        foreach (var (id, key) in SigningKeys)
        {
            if (!KeyMaterial.TryDecode(key, out _))
            {
                yield return $"SigningKeys:{id}: must be base64 of exactly 32 bytes";
            }
        }

        if (!string.IsNullOrEmpty(ActiveKeyId) && !SigningKeys.ContainsKey(ActiveKeyId))
        {
            yield return $"ActiveKeyId: no key is configured under '{ActiveKeyId}' (Security:Jwt:SigningKeys:{ActiveKeyId})";
        }
    }
}
