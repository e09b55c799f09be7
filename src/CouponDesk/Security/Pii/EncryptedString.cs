using System.Data;
using Dapper;

namespace CouponDesk.Security.Pii;

/// <summary>
/// A personal-data value as it is stored: AES-256-GCM ciphertext with its key version (see <see cref="PiiProtector"/>).
/// Row types declare PII columns with this type, so SQL code cannot write or read a clear value by mistake: the
/// Dapper handler only moves ciphertext, and the clear text exists only where a caller asks
/// <see cref="PiiProtector.Reveal"/> for it. <see cref="ToString"/> never shows the content.
/// </summary>
public sealed class EncryptedString : IEquatable<EncryptedString>
{
    private readonly byte[] stored;

    public EncryptedString(byte[] stored)
    {
        if (!PiiProtector.IsEncryptedFormat(stored))
        {
            throw new PiiDecryptionException("the value is not in the encrypted format (too short or wrong format byte)");
        }

        this.stored = stored.ToArray();
    }

    public int KeyVersion => PiiProtector.KeyVersionOf(stored);

    public byte[] ToArray() => stored.ToArray();

    public override string ToString() => $"[encrypted v{KeyVersion}]";

    public bool Equals(EncryptedString? other) => other is not null && stored.AsSpan().SequenceEqual(other.stored);

    public override bool Equals(object? obj) => obj is EncryptedString other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(stored, stored.Length - 4);
}

/// <summary>Maps <see cref="EncryptedString"/> to and from <c>VARBINARY</c> columns.</summary>
public sealed class EncryptedStringTypeHandler : SqlMapper.TypeHandler<EncryptedString>
{
    private static int registered;

    /// <summary>Registers the handler with Dapper once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new EncryptedStringTypeHandler());
        }
    }

    public override void SetValue(IDbDataParameter parameter, EncryptedString? value)
    {
        parameter.DbType = DbType.Binary;
        parameter.Value = value is null ? DBNull.Value : value.ToArray();
    }

    public override EncryptedString? Parse(object value) => value switch
    {
        byte[] bytes => new EncryptedString(bytes),
        DBNull => null,
        _ => throw new DataException($"an encrypted column returned {value.GetType().Name}, expected VARBINARY"),
    };
}
