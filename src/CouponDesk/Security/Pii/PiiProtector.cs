using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CouponDesk.Security.Pii;

/// <summary>
/// Encrypts personal data with AES-256-GCM and computes keyed blind indexes for equality search.
/// Stored layout (VARBINARY): <c>[format 0x01][key version, 4 bytes big-endian][nonce 12][tag 16][ciphertext]</c>.
/// The key version travels with every value, so rotation can re-encrypt in the background while both versions read.
/// </summary>
public sealed class PiiProtector
{
    private const byte Format = 0x01;
    private const int HeaderSize = 1 + 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<int, byte[]> keys;
    private readonly byte[] blindIndexKey;

    public PiiProtector(PiiOptions options)
    {
        keys = options.Keys.ToDictionary(
            k => int.Parse(k.Key, CultureInfo.InvariantCulture),
            k => KeyMaterial.TryDecode(k.Value, out var key) ? key : throw new CryptographicException($"Security:Pii:Keys:{k.Key} is not a 32-byte base64 key"));
        ActiveKeyVersion = options.ActiveKeyVersion;
        blindIndexKey = KeyMaterial.TryDecode(options.BlindIndexKey, out var bik)
            ? bik
            : throw new CryptographicException("Security:Pii:BlindIndexKey is not a 32-byte base64 key");
    }

    public int ActiveKeyVersion { get; }

    public IReadOnlyCollection<int> KeyVersions => keys.Keys;

    public byte[] Encrypt(string plaintext) => Encrypt(plaintext, ActiveKeyVersion);

    public byte[] Encrypt(string plaintext, int keyVersion)
    {
        var key = KeyFor(keyVersion);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[HeaderSize + NonceSize + TagSize + plain.Length];
        output[0] = Format;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), keyVersion);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        // The header is authenticated too: a value cannot be moved to another key version unnoticed.
        aes.Encrypt(nonce, plain, output.AsSpan(HeaderSize + NonceSize + TagSize), output.AsSpan(HeaderSize + NonceSize, TagSize), output.AsSpan(0, HeaderSize));
        return output;
    }

    public string Decrypt(byte[] stored)
    {
        if (!IsEncryptedFormat(stored))
        {
            throw new PiiDecryptionException("the value is not in the encrypted format (too short or wrong format byte)");
        }

        var version = KeyVersionOf(stored);
        if (!keys.TryGetValue(version, out var key))
        {
            throw new PiiDecryptionException($"the value was encrypted with key version {version}, which is not configured (Security:Pii:Keys:{version})");
        }

        var plain = new byte[stored.Length - HeaderSize - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(stored.AsSpan(HeaderSize, NonceSize), stored.AsSpan(HeaderSize + NonceSize + TagSize), stored.AsSpan(HeaderSize + NonceSize, TagSize), plain, stored.AsSpan(0, HeaderSize));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new PiiDecryptionException($"the value failed authentication with key version {version}: it was altered or the key is wrong");
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The key version a stored value names. Checks the format first, so a short or foreign value is a clear error, not an index exception.</summary>
    public static int KeyVersionOf(byte[] stored) =>
        IsEncryptedFormat(stored)
            ? BinaryPrimitives.ReadInt32BigEndian(stored.AsSpan(1, 4))
            : throw new PiiDecryptionException("the value is not in the encrypted format (too short or wrong format byte)");

    /// <summary>
    /// How many bytes of plaintext a stored value of <paramref name="storedLength"/> bytes holds (its overhead is fixed):
    /// the length of an ASCII value — e.g. a coupon number, to mask it — without decrypting it.
    /// </summary>
    public static int PlaintextLength(int storedLength) => Math.Max(0, storedLength - HeaderSize - NonceSize - TagSize);

    public static bool IsEncryptedFormat(ReadOnlySpan<byte> stored) => stored.Length >= HeaderSize + NonceSize + TagSize && stored[0] == Format;

    /// <summary>The 4 bytes of a key version as they appear at offset 1 of a stored value (for SQL <c>SUBSTRING(col, 2, 4)</c>).</summary>
    public static byte[] KeyVersionBytes(int keyVersion)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, keyVersion);
        return bytes;
    }

    public EncryptedString Protect(string plaintext) => new(Encrypt(plaintext));

    public EncryptedString? ProtectOptional(string? plaintext) => string.IsNullOrEmpty(plaintext) ? null : Protect(plaintext);

    public string Reveal(EncryptedString value) => Decrypt(value.ToArray());

    public string? RevealOptional(EncryptedString? value) => value is null ? null : Reveal(value);

    /// <summary>
    /// A check value of a configured key (HMAC of a fixed label). <c>encryption_keys</c> stores it so a process started
    /// with a different key under the same version number is refused before it writes anything; it reveals nothing of the key.
    /// </summary>
    public byte[] KeyCheckValue(int keyVersion) => HMACSHA256.HashData(KeyFor(keyVersion), "coupondesk-pii-key-check"u8);

    /// <summary>
    /// HMAC-SHA256 over <c>purpose:normalizedValue</c>. The purpose ("phone", "coupon") keeps equal strings of different
    /// kinds apart. Callers normalise first (a phone as 11 digits <c>010########</c>).
    /// </summary>
    public byte[] BlindIndex(string purpose, string normalizedValue)
    {
        // A purpose containing ':' could make two (purpose, value) pairs hash the same input; purposes are fixed names.
        if (purpose.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("a blind index purpose must not contain ':'", nameof(purpose));
        }

        return HMACSHA256.HashData(blindIndexKey, Encoding.UTF8.GetBytes($"{purpose}:{normalizedValue}"));
    }

    /// <summary>Blind index of a phone number in any common spelling (<c>010-0000-1234</c>, <c>+82 10 …</c>): digits only, leading 82 turned into 0.</summary>
    public byte[] PhoneBlindIndex(string phone) => BlindIndex(BlindIndexPurposes.Phone, PiiNormalization.Phone(phone));

    /// <summary>Blind index of a coupon number: spaces and hyphens removed, letters upper-cased.</summary>
    public byte[] CouponBlindIndex(string couponNumber) => BlindIndex(BlindIndexPurposes.Coupon, PiiNormalization.CouponNumber(couponNumber));

    private byte[] KeyFor(int version) =>
        keys.TryGetValue(version, out var key) ? key : throw new PiiDecryptionException($"key version {version} is not configured (Security:Pii:Keys:{version})");
}

/// <summary>A stored value that cannot be decrypted; the message names the reason, never the value.</summary>
public sealed class PiiDecryptionException(string message) : CryptographicException(message);
