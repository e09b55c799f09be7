using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Security.Pii;

/// <summary>
/// Keys for personal data at rest (design "Security and privacy"). Keys are base64 of 32 random bytes; a development
/// key is written <c>dev-only-&lt;base64&gt;</c> and refused in Production. The database records key versions and their
/// state in <c>encryption_keys</c>, never the keys.
/// </summary>
public sealed class PiiOptions : ISelfValidatingSettings
{
    public const string Section = "Security:Pii";

    /// <summary>AES-256-GCM keys by version number ("1", "2", …). Old versions stay until rotation has re-encrypted every row.</summary>
    [Secret]
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The version new values are encrypted with.</summary>
    [Range(1, int.MaxValue)]
    public int ActiveKeyVersion { get; set; } = 1;

    /// <summary>HMAC-SHA256 key of the blind indexes used for equality search (phone, coupon number).</summary>
    [Required]
    [Secret]
    public string BlindIndexKey { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        foreach (var (version, key) in Keys)
        {
            if (!int.TryParse(version, out var v) || v < 1)
            {
                yield return $"Keys:{version}: key versions are positive integers";
            }
            else if (!KeyMaterial.TryDecode(key, out _))
            {
                yield return $"Keys:{version}: must be base64 of exactly 32 bytes";
            }
        }

        if (!Keys.ContainsKey(ActiveKeyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            yield return $"ActiveKeyVersion: no key is configured for version {ActiveKeyVersion} (Security:Pii:Keys:{ActiveKeyVersion})";
        }

        if (!string.IsNullOrEmpty(BlindIndexKey) && !KeyMaterial.TryDecode(BlindIndexKey, out _))
        {
            yield return "BlindIndexKey: must be base64 of exactly 32 bytes";
        }
    }
}

/// <summary>Decodes a configured key: base64 of 32 bytes, optionally prefixed with the development marker.</summary>
public static class KeyMaterial
{
    public static bool TryDecode(string value, out byte[] key)
    {
        key = [];
        var text = value.StartsWith(SecretAttribute.DevelopmentPrefix, StringComparison.Ordinal)
            ? value[SecretAttribute.DevelopmentPrefix.Length..]
            : value;
        var buffer = new byte[48];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != 32)
        {
            return false;
        }

        key = buffer[..32];
        return true;
    }
}
