using CouponDesk.Features.Campaigns;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// The campaign's <c>campaign_runs</c> row as the gate between stopping a campaign and queueing its messages (D-PIPE-24).
/// A queue transaction holds a shared lock on the row while it inserts; every transaction that takes a campaign out of
/// ISSUING / SENDING (pause, cancel, 미발송분 취소, the ERROR stop) holds an exclusive lock on it. So a stop either
/// commits before a queue transaction reads the status (which then queues nothing) or waits until that transaction has
/// committed (and then sees, and withdraws, what it queued). The <c>campaigns</c> row itself is never locked here: the
/// issuance planner claims it with <c>SKIP LOCKED</c> and would skip its own campaign (D-PIPE-20).
/// <para>
/// Both sides WRITE the row (D-OPS-7): on a Galera cluster row locks are local to a node, so a lock alone would not keep
/// a stop on one node and a queue transaction on another apart; two writes of the same row are certified in one order
/// for the whole cluster, and the one that did not see the other gets error 1213 and is run again whole. On one server
/// the queue side's lock is therefore exclusive: queue transactions of one campaign take turns for their last
/// milliseconds (rendering, outside the transaction, still overlaps).
/// </para>
/// </summary>
public static class CampaignRunGate
{
    /// <summary>
    /// Queue side: writes (and so locks) the run row, then reads the campaign's status. Must be the FIRST statement of the queue
    /// transaction: under REPEATABLE READ the plain status read takes the transaction's snapshot, and that snapshot must
    /// be taken after the lock is granted, so it sees every stop that committed before. A campaign without a run row
    /// has not started and counts as not running.
    /// </summary>
    public static async Task<bool> StillRunningAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, CancellationToken ct)
    {
        if (await TouchAsync(c, tx, campaignId, ct) == 0)
        {
            return false;
        }

        var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }, tx, cancellationToken: ct));
        return status is CampaignStatus.Issuing or CampaignStatus.Sending;
    }

    /// <summary>
    /// Stop side: exclusive lock on the run row, waiting for queue transactions in flight. Call it right after locking the
    /// campaign row and BEFORE reading the campaign's ready messages, so the withdrawal sees what those transactions queued.
    /// </summary>
    public static Task CloseAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, CancellationToken ct) =>
        TouchAsync(c, tx, campaignId, ct);

    /// <summary>A real change (a new microsecond), so the row is in the transaction's replicated write set.</summary>
    private static Task<int> TouchAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE campaign_runs SET updated_at = UTC_TIMESTAMP(6) WHERE campaign_id = @campaignId", new { campaignId }, tx, cancellationToken: ct));
}
