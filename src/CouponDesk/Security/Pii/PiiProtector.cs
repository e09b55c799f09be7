using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CouponDesk.Security.Pii;

/// <summary>
/// Encrypts personal data with AES-256-GCM and computes keyed blind indexes for equality search.
/// Stored layout (VARBINARY): <c>[format][key version, 4 bytes big-endian][nonce 12][tag 16][ciphertext]</c>.
/// The key version travels with every value, so rotation can re-encrypt in the background while both versions read.
/// Format 0x02 values are bound to their place (<see cref="PiiPlace"/>: table, column, row): the place is associated
/// data, so a value copied to another row or column fails to decrypt. Format 0x01 values (written before binding, or
/// in columns not bound yet) authenticate only the header; the key rotation re-encrypts them bound (decision D-SEC-12).
/// </summary>
public sealed class PiiProtector
{
    private const byte Format = 0x01;
    private const byte BoundFormat = 0x02;
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

    public byte[] Encrypt(string plaintext, int keyVersion) => Encrypt(plaintext, keyVersion, null);

    /// <summary>Encrypts a value bound to <paramref name="place"/>: it decrypts only when read from there.</summary>
    public byte[] Encrypt(string plaintext, PiiPlace place) => Encrypt(plaintext, ActiveKeyVersion, place);

    public byte[] Encrypt(string plaintext, int keyVersion, PiiPlace? place)
    {
        var key = KeyFor(keyVersion);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[HeaderSize + NonceSize + TagSize + plain.Length];
        output[0] = place is null ? Format : BoundFormat;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), keyVersion);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        // The header is authenticated too: a value cannot be moved to another key version unnoticed.
        aes.Encrypt(nonce, plain, output.AsSpan(HeaderSize + NonceSize + TagSize), output.AsSpan(HeaderSize + NonceSize, TagSize), AssociatedData(output, place));
        return output;
    }

    /// <summary>Decrypts an unbound (format 0x01) value; a bound value needs its place (<see cref="Decrypt(byte[], PiiPlace?)"/>).</summary>
    public string Decrypt(byte[] stored) => Decrypt(stored, null);

    /// <summary>
    /// Decrypts a value read from <paramref name="place"/>: a bound value must have been written there, an unbound
    /// (older) one is accepted until the rotation binds it. Throws <see cref="PiiDecryptionException"/> — never with the value.
    /// </summary>
    public string Decrypt(byte[] stored, PiiPlace? place)
    {
        if (!IsEncryptedFormat(stored))
        {
            throw new PiiDecryptionException("the value is not in the encrypted format (too short or wrong format byte)");
        }

        var bound = stored[0] == BoundFormat;
        if (bound && place is null)
        {
            throw new PiiDecryptionException("the value is bound to its place and was read without one");
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
            aes.Decrypt(stored.AsSpan(HeaderSize, NonceSize), stored.AsSpan(HeaderSize + NonceSize + TagSize), stored.AsSpan(HeaderSize + NonceSize, TagSize), plain, AssociatedData(stored, bound ? place : null));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw bound
                ? new PiiMisplacedValueException($"the value does not belong to {place}: it was copied from another row or column, altered, or the key is wrong")
                : new PiiDecryptionException($"the value failed authentication with key version {version}: it was altered or the key is wrong");
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

    public static bool IsEncryptedFormat(ReadOnlySpan<byte> stored) => stored.Length >= HeaderSize + NonceSize + TagSize && stored[0] is Format or BoundFormat;

    /// <summary>True for a value bound to its place (format 0x02).</summary>
    public static bool IsBound(ReadOnlySpan<byte> stored) => IsEncryptedFormat(stored) && stored[0] == BoundFormat;

    /// <summary>The first byte of a bound value, for SQL that finds values still unbound (<c>SUBSTRING(col, 1, 1)</c>).</summary>
    public static byte[] UnboundFormatByte => [Format];

    // The header is always authenticated (a value cannot move to another key version); a bound value adds its place.
    private static byte[] AssociatedData(ReadOnlySpan<byte> stored, PiiPlace? place)
    {
        var header = stored[..HeaderSize].ToArray();
        return place is { } p ? [.. header, .. Encoding.UTF8.GetBytes(p.ToString())] : header;
    }

    /// <summary>The 4 bytes of a key version as they appear at offset 1 of a stored value (for SQL <c>SUBSTRING(col, 2, 4)</c>).</summary>
    public static byte[] KeyVersionBytes(int keyVersion)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, keyVersion);
        return bytes;
    }

    public EncryptedString Protect(string plaintext) => new(Encrypt(plaintext));

    public EncryptedString? ProtectOptional(string? plaintext) => string.IsNullOrEmpty(plaintext) ? null : Protect(plaintext);

    /// <summary>A value bound to <paramref name="place"/>, or null for an empty one.</summary>
    public EncryptedString? ProtectOptional(string? plaintext, PiiPlace place) => string.IsNullOrEmpty(plaintext) ? null : new(Encrypt(plaintext, place));

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

    /// <summary>Blind index of a phone number in any common spelling (<c>010-0000-0071</c>, <c>+82 10 …</c>): digits only, leading 82 turned into 0.</summary>
    public byte[] PhoneBlindIndex(string phone) => BlindIndex(BlindIndexPurposes.Phone, PiiNormalization.Phone(phone));

    /// <summary>Blind index of a coupon number: spaces and hyphens removed, letters upper-cased.</summary>
    public byte[] CouponBlindIndex(string couponNumber) => BlindIndex(BlindIndexPurposes.Coupon, PiiNormalization.CouponNumber(couponNumber));

    private byte[] KeyFor(int version) =>
        keys.TryGetValue(version, out var key) ? key : throw new PiiDecryptionException($"key version {version} is not configured (Security:Pii:Keys:{version})");
}

/// <summary>A stored value that cannot be decrypted; the message names the reason, never the value.</summary>
public class PiiDecryptionException(string message) : CryptographicException(message);

/// <summary>A bound value read from a place it was not written for (copied to another row or column), or altered.</summary>
public sealed class PiiMisplacedValueException(string message) : PiiDecryptionException(message);

/// <summary>
/// Where a personal-data value lives: table, column and the row's identity (its primary key, e.g. <c>42</c> or
/// <c>17:3</c> for a two-part key). Bound values carry it as AES-GCM associated data. No personal data in it.
/// </summary>
public readonly record struct PiiPlace(string Table, string Column, string Row)
{
    public static PiiPlace Of(string table, string column, long id) => new(table, column, id.ToString(CultureInfo.InvariantCulture));

    public static PiiPlace Of(string table, string column, long id, long seq) => new(table, column, string.Create(CultureInfo.InvariantCulture, $"{id}:{seq}"));

    public override string ToString() => $"{Table}.{Column}#{Row}";
}
