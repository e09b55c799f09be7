using System.Security.Cryptography;

namespace CouponDesk.TestSupport;

/// <summary>Fresh random PII keys for each test run: tests never depend on a key in the repository.</summary>
public static class TestKeys
{
    public static readonly string EncryptionKeyV1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string EncryptionKeyV2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static IEnumerable<KeyValuePair<string, string?>> PiiSettings =>
    [
        new("Security:Pii:Keys:1", EncryptionKeyV1),
        new("Security:Pii:ActiveKeyVersion", "1"),
        new("Security:Pii:BlindIndexKey", BlindIndexKey),
    ];
}
