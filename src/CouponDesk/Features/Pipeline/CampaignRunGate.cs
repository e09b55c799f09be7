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
/// </summary>
public static class CampaignRunGate
{
    /// <summary>
    /// Queue side: share-locks the run row, then reads the campaign's status. Must be the FIRST statement of the queue
    /// transaction: under REPEATABLE READ the plain status read takes the transaction's snapshot, and that snapshot must
    /// be taken after the lock is granted, so it sees every stop that committed before. A campaign without a run row
    /// has not started and counts as not running.
    /// </summary>
    public static async Task<bool> StillRunningAsync(MySqlConnection c, MySqlTransaction tx, long campaignId, CancellationToken ct)
    {
        var run = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT campaign_id FROM campaign_runs WHERE campaign_id = @campaignId LOCK IN SHARE MODE", new { campaignId }, tx, cancellationToken: ct));
        if (run is null)
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
        c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT campaign_id FROM campaign_runs WHERE campaign_id = @campaignId FOR UPDATE", new { campaignId }, tx, cancellationToken: ct));
}
