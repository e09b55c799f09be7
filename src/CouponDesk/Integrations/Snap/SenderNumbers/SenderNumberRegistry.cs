using Dapper;
using MySqlConnector;

namespace CouponDesk.Integrations.Snap.SenderNumbers;

/// <summary>Reads and seeds <c>sender_numbers</c>. The campaign feature adds the ADMIN API on top of this table.</summary>
public sealed class SenderNumberRegistry(TimeProvider time)
{
    /// <summary>Digits only: hyphens and spaces removed (how sender numbers are stored and compared).</summary>
    public static string Normalize(string number) =>
        new([.. number.Where(c => c is not ('-' or ' '))]);

    /// <summary>The subset of <paramref name="digits"/> that are registered and active.</summary>
    public static async Task<IReadOnlySet<string>> ActiveAmongAsync(
        MySqlConnection connection, MySqlTransaction? transaction, IEnumerable<string> digits, CancellationToken cancellationToken)
    {
        var distinct = digits.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            return new HashSet<string>();
        }

        var found = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT number FROM sender_numbers WHERE active = 1 AND number IN @distinct",
            new { distinct },
            transaction,
            cancellationToken: cancellationToken));
        return found.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Registers <paramref name="digits"/> as active unless it is already listed (an inactive entry stays inactive).</summary>
    public async Task EnsureRegisteredAsync(MySqlConnection connection, string digits, string label, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT IGNORE INTO sender_numbers (number, label, active, created_at, updated_at)
            VALUES (@digits, @label, 1, @now, @now)
            """,
            new { digits, label, now },
            cancellationToken: cancellationToken));
    }
}
