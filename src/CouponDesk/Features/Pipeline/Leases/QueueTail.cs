using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Integrations.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Leases;

/// <summary>What a queue transaction did.</summary>
public enum QueueTailOutcome
{
    /// <summary>Committed: the ready items are QUEUED with their messages (possibly none were still ours).</summary>
    Queued,

    /// <summary>The campaign was stopped since the claim: every claimed item was released, nothing queued.</summary>
    CampaignStopped,

    /// <summary>The writer refused the batch (<see cref="QueueTailResult.Refusal"/>); rolled back, staged images deleted.</summary>
    Refused,
}

/// <summary>The outcome, the items that were (or, when refused, would have been) queued, and the writer's refusal.</summary>
public sealed record QueueTailResult(QueueTailOutcome Outcome, IReadOnlyList<long> Ready, MmsValidationException? Refusal = null);

/// <summary>
/// One batch for <see cref="QueueTail.RunAsync"/>: the claimed items (lease <see cref="Token"/>), the staged image of each
/// item that has one, the locking read that keeps the items still ours and still in the state the step expects (gets
/// <c>@ids</c> and <c>@token</c>), how to compose the messages of the ready items (one per item, in their order), how to
/// mark them QUEUED, and what else the step writes in the same transaction.
/// </summary>
public sealed record QueueBatch(
    long CampaignId,
    string Token,
    IReadOnlyCollection<long> Claimed,
    IReadOnlyDictionary<long, string> Staged,
    string StillOursSql,
    Func<MySqlConnection, MySqlTransaction, IReadOnlyList<long>, CancellationToken, Task<IReadOnlyList<OutgoingMms>>> Compose,
    Func<MySqlConnection, MySqlTransaction, IReadOnlyList<(long Item, long Message)>, CancellationToken, Task> MarkQueued)
{
    /// <summary>Runs inside the transaction after the items were marked QUEUED, with the items still ours.</summary>
    public Func<MySqlConnection, MySqlTransaction, IReadOnlySet<long>, CancellationToken, Task>? AlsoInTransaction { get; init; }

    /// <summary>Test seam: runs inside the transaction right after the run gate let it through.</summary>
    public Func<long, CancellationToken, Task>? AfterGate { get; init; }
}

/// <summary>
/// The queueing tail shared by render-and-queue (D6q) and resends (spec D9), the counterpart of the claim helper
/// (<see cref="LeaseClaim"/>, D-PIPE-25): ONE transaction that (1) passes the run gate as its first statement (D-PIPE-24: a
/// pause, cancel or ERROR stop that committed since the claim wins — then every claimed item is released and nothing is
/// queued), (2) re-reads which items are still ours with a locking read, (3) inserts their <c>messages</c> + <c>UMS_MSG</c>
/// rows (multi-row) and (4) marks them QUEUED, so a message exists exactly when its item says QUEUED. Staged images that
/// no committed message uses are deleted afterwards.
/// </summary>
public sealed class QueueTail(DbConnectionFactory connections, SnapMessageWriter writer, SnapImageStager stager, ILogger<QueueTail> logger)
{
    public async Task<QueueTailResult> RunAsync(QueueBatch batch, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (!await CampaignRunGate.StillRunningAsync(c, tx, batch.CampaignId, ct))
        {
            await LeaseClaim.ReleaseAsync(c, tx, LeaseTable.DeliveryItems, batch.Claimed, batch.Token, ct);
            await tx.CommitAsync(ct);
            stager.Delete(batch.Staged.Values);
            logger.LogInformation("Campaign {CampaignId} stopped while {Count} items were prepared; released, nothing queued", batch.CampaignId, batch.Claimed.Count);
            return new QueueTailResult(QueueTailOutcome.CampaignStopped, []);
        }

        if (batch.AfterGate is { } seam)
        {
            await seam(batch.CampaignId, ct);
        }

        var stillOurs = (await c.QueryAsync<long>(new CommandDefinition(
            batch.StillOursSql, new { ids = batch.Claimed.ToArray(), token = batch.Token }, tx, cancellationToken: ct))).ToHashSet();
        var ready = batch.Claimed.Where(id => stillOurs.Contains(id) && batch.Staged.ContainsKey(id)).ToList();
        var readySet = ready.ToHashSet();
        var messages = await batch.Compose(c, tx, ready, ct);
        try
        {
            var queued = await writer.QueueAsync(c, tx, messages, ct);
            await batch.MarkQueued(c, tx, [.. ready.Select((item, i) => (item, queued[i].MessageId))], ct);
        }
        catch (MmsValidationException ex)
        {
            await tx.RollbackAsync(ct);
            stager.Delete(batch.Staged.Values);
            return new QueueTailResult(QueueTailOutcome.Refused, ready, ex);
        }

        if (batch.AlsoInTransaction is { } also)
        {
            await also(c, tx, stillOurs, ct);
        }

        await tx.CommitAsync(ct);
        stager.Delete(batch.Staged.Where(s => !readySet.Contains(s.Key)).Select(s => s.Value));
        return new QueueTailResult(QueueTailOutcome.Queued, ready);
    }
}
