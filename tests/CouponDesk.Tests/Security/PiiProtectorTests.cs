using System.Security.Cryptography;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Security;

public sealed class PiiProtectorTests
{
    private static PiiProtector Protector(int active = 1, bool withV2 = false)
    {
        var options = new PiiOptions { ActiveKeyVersion = active, BlindIndexKey = TestKeys.BlindIndexKey };
        options.Keys["1"] = TestKeys.EncryptionKeyV1;
        if (withV2)
        {
            options.Keys["2"] = TestKeys.EncryptionKeyV2;
        }

        return new PiiProtector(options);
    }

    [Fact]
    public void A_value_round_trips_and_carries_its_key_version()
    {
        var protector = Protector();

        var stored = protector.Encrypt("01000001234");

        Assert.Equal("01000001234", protector.Decrypt(stored));
        Assert.Equal(1, PiiProtector.KeyVersionOf(stored));
        Assert.DoesNotContain("01000001234", System.Text.Encoding.UTF8.GetString(stored));
    }

    [Fact]
    public void The_same_value_encrypts_differently_each_time() =>
        Assert.NotEqual(Protector().Encrypt("홍길동"), Protector().Encrypt("홍길동"));

    [Fact]
    public void A_tampered_value_is_rejected()
    {
        var stored = Protector().Encrypt("01000001234");
        stored[^1] ^= 0x01;

        var error = Assert.Throws<PiiDecryptionException>(() => Protector().Decrypt(stored));
        Assert.Contains("altered", error.Message);
        Assert.DoesNotContain("01000001234", error.Message);
    }

    [Fact]
    public void A_value_moved_to_another_key_version_is_rejected()
    {
        var protector = Protector(withV2: true);
        var stored = protector.Encrypt("01000001234", 1);
        stored[4] = 2;

        Assert.Throws<PiiDecryptionException>(() => protector.Decrypt(stored));
    }

    [Fact]
    public void An_unknown_key_version_is_reported_clearly()
    {
        var stored = Protector(active: 2, withV2: true).Encrypt("01000001234");

        var error = Assert.Throws<PiiDecryptionException>(() => Protector().Decrypt(stored));
        Assert.Contains("key version 2", error.Message);
        Assert.Contains("Security:Pii:Keys:2", error.Message);
    }

    [Fact]
    public void Blind_indexes_are_keyed_stable_and_separated_by_purpose()
    {
        var protector = Protector();

        Assert.Equal(protector.BlindIndex("phone", "01000001234"), protector.BlindIndex("phone", "01000001234"));
        Assert.NotEqual(protector.BlindIndex("phone", "01000001234"), protector.BlindIndex("coupon", "01000001234"));
        Assert.NotEqual(SHA256.HashData("phone:01000001234"u8.ToArray()), protector.BlindIndex("phone", "01000001234"));
    }
}
