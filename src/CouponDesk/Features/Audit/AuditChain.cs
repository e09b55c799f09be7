using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CouponDesk.Security.Pii;

namespace CouponDesk.Features.Audit;

/// <summary>
/// The row hash of the audit chain: HMAC-SHA256(chain key, prev_hash ‖ each field length-prefixed). Length prefixes
/// make the encoding unambiguous (no two different rows serialise alike); times are hashed at the microsecond
/// precision the column stores, so a row read back hashes the same.
/// </summary>
public sealed class AuditChain(AuditOptions options)
{
    public static readonly byte[] Genesis = new byte[32];

    private readonly byte[] key = KeyMaterial.TryDecode(options.ChainKey, out var k)
        ? k
        : throw new CryptographicException("Security:Audit:ChainKey is not a 32-byte base64 key");

    public byte[] Hash(byte[] previous, AuditRow row)
    {
        using var buffer = new MemoryStream();
        buffer.Write(previous);
        Field(buffer, row.OccurredAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture));
        Field(buffer, row.ActorUserId?.ToString(CultureInfo.InvariantCulture));
        Field(buffer, row.ActorLogin);
        Field(buffer, row.SourceIp);
        Field(buffer, row.UserAgent);
        Field(buffer, row.CorrelationId);
        Field(buffer, row.Action);
        Field(buffer, row.TargetType);
        Field(buffer, row.TargetId);
        Field(buffer, row.Subject);
        Field(buffer, row.Outcome);
        Field(buffer, row.Reason);
        Field(buffer, row.Details);
        return HMACSHA256.HashData(key, buffer.ToArray());
    }

    private static void Field(MemoryStream buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            buffer.Write(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}

/// <summary>An audit row as stored (the columns the hash covers, plus id and hashes).</summary>
public sealed record AuditRow
{
    public long Id { get; init; }

    public DateTime OccurredAt { get; init; }

    public long? ActorUserId { get; init; }

    public string? ActorLogin { get; init; }

    public string? SourceIp { get; init; }

    public string? UserAgent { get; init; }

    public string? CorrelationId { get; init; }

    public string Action { get; init; } = "";

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public string? Subject { get; init; }

    public string Outcome { get; init; } = "";

    public string? Reason { get; init; }

    public string? Details { get; init; }

    public byte[] PrevHash { get; init; } = [];

    public byte[] RowHash { get; init; } = [];

    public const string Columns =
        "id AS Id, occurred_at AS OccurredAt, actor_user_id AS ActorUserId, actor_login AS ActorLogin, source_ip AS SourceIp, " +
        "user_agent AS UserAgent, correlation_id AS CorrelationId, action AS Action, target_type AS TargetType, target_id AS TargetId, " +
        "subject AS Subject, outcome AS Outcome, reason AS Reason, details AS Details, prev_hash AS PrevHash, row_hash AS RowHash";
}
