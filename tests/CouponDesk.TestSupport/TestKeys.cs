using System.Security.Cryptography;

namespace CouponDesk.TestSupport;

/// <summary>Fresh random PII keys for each test run: tests never depend on a key in the repository.</summary>
public static class TestKeys
{
    public static readonly string EncryptionKeyV1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string EncryptionKeyV2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string TokenSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string AuditChainKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Every secret the back office needs to start (the name is historical): PII keys, the access-token signing key
    /// and the audit chain key. Pass these to any host of the back office a test starts.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> PiiSettings =>
    [
        new("Security:Pii:Keys:1", EncryptionKeyV1),
        new("Security:Pii:ActiveKeyVersion", "1"),
        new("Security:Pii:BlindIndexKey", BlindIndexKey),
        new("Security:Jwt:SigningKeys:t1", TokenSigningKey),
        new("Security:Jwt:ActiveKeyId", "t1"),
        new("Security:Audit:ChainKey", AuditChainKey),
    ];
}
