using System.Globalization;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Withdraws messages the agent has not taken yet (spec/snap-agent.md §7): deletes the <c>UMS_MSG</c> row only while
/// <c>MSG_STATUS='ready'</c> and marks our message WITHDRAWN in the same (caller's) transaction, so a message is either
/// withdrawn on both sides or on neither — never half. Rows are locked first (<c>FOR UPDATE</c>), so an agent that
/// claims with a conditional update cannot take a row between our check and our delete.
/// </summary>
public sealed class SnapMessageCanceller(SnapOptions options, TimeProvider time)
{
    /// <summary>Withdrawals of rows due within this window (or past due) are best-effort: the real agent's claim may not be atomic (§7).</summary>
    public static readonly TimeSpan NearDue = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<WithdrawOutcome>> WithdrawAsync(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<long> messageIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var ids = messageIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var ours = (await connection.QueryAsync<(long Id, string ClientKey, string Status, DateTime ReqAt)>(new CommandDefinition(
            "SELECT id, client_key, status, req_at FROM messages WHERE id IN @ids FOR UPDATE",
            new { ids }, transaction, cancellationToken: cancellationToken))).ToDictionary(m => m.Id);

        var candidates = ours.Values.Where(m => m.Status == MessageStatus.Ready).ToArray();
        var stillReady = new HashSet<string>(StringComparer.Ordinal);
        if (candidates.Length > 0)
        {
            var table = UmsTableDdl.Quote(options.SendTable);
            var keys = candidates.Select(m => m.ClientKey).ToArray();
            stillReady = (await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT CLIENT_KEY FROM {table} WHERE CLIENT_KEY IN @keys AND MSG_STATUS = 'ready' FOR UPDATE",
                new { keys }, transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            if (stillReady.Count > 0)
            {
                var lockedKeys = stillReady.ToArray();
                var deleted = await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM {table} WHERE CLIENT_KEY IN @lockedKeys AND MSG_STATUS = 'ready'",
                    new { lockedKeys }, transaction, cancellationToken: cancellationToken));
                if (deleted != lockedKeys.Length)
                {
                    // Cannot happen while we hold the row locks; refuse rather than leave the two sides disagreeing.
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Withdrawal deleted {deleted} of {lockedKeys.Length} locked agent rows; rolled back."));
                }

                var withdrawnIds = candidates.Where(m => stillReady.Contains(m.ClientKey)).Select(m => m.Id).ToArray();
                await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE messages SET status = '{MessageStatus.Withdrawn}', updated_at = @now WHERE id IN @withdrawnIds",
                    new { withdrawnIds, now = time.GetUtcNow().UtcDateTime }, transaction, cancellationToken: cancellationToken));
            }
        }

        var nearDue = time.GetUtcNow().UtcDateTime + NearDue;
        return [.. messageIds.Select(id => new WithdrawOutcome(id, !ours.TryGetValue(id, out var m)
            ? WithdrawResult.NotFound
            : stillReady.Contains(m.ClientKey)
                ? DateTime.SpecifyKind(m.ReqAt, DateTimeKind.Utc) <= nearDue ? WithdrawResult.WithdrawnBestEffort : WithdrawResult.Withdrawn
                : m.Status == MessageStatus.Withdrawn ? WithdrawResult.AlreadyWithdrawn : WithdrawResult.TooLate))];
    }
}

public sealed record WithdrawOutcome(long MessageId, WithdrawResult Result)
{
    /// <summary>Withdrawn (possibly best-effort): the coupon may be cancelled at COUFUN (after the grace check for best-effort ones).</summary>
    public bool IsWithdrawn => Result is WithdrawResult.Withdrawn or WithdrawResult.WithdrawnBestEffort or WithdrawResult.AlreadyWithdrawn;

    /// <summary>Korean text for an operator.</summary>
    public string Describe() => Result switch
    {
        WithdrawResult.Withdrawn => "발송 예약을 취소했습니다.",
        WithdrawResult.WithdrawnBestEffort => "발송 직전에 취소했습니다. 이미 발송되었을 수 있어 잠시 후 결과를 다시 확인합니다.",
        WithdrawResult.AlreadyWithdrawn => "이미 취소된 발송입니다.",
        WithdrawResult.TooLate => "이미 발송이 시작되어 취소할 수 없습니다.",
        _ => "해당 발송을 찾을 수 없습니다.",
    };
}

public enum WithdrawResult
{
    Withdrawn,

    /// <summary>Deleted while <c>ready</c> but due within a minute (or past due): confirm later that no log row appeared.</summary>
    WithdrawnBestEffort,

    AlreadyWithdrawn,

    /// <summary>The agent had taken it (or it is already finished): nothing changed.</summary>
    TooLate,

    NotFound,
}
