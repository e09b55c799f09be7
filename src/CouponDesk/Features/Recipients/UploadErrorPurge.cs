using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using Dapper;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// Row-error records of an upload deleted 7 days after the upload (spec §5.8 "upload file purge", daily 02:00 KST). The
/// uploaded file itself is never stored — it is parsed in memory and only its valid rows (encrypted) and these errors are
/// kept — so there is no file to remove. Counts deleted error rows; held campaigns keep theirs.
/// </summary>
public sealed class UploadErrorPurge(DbConnectionFactory connections) : IPiiPurgeStep
{
    public string Name => "uploads.row_errors";

    public PurgeSchedule Schedule => PurgeSchedule.Uploads;

    public async Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        var args = new { now = context.NowUtc, cutoff = context.NowUtc.AddDays(-context.Options.UploadRetentionDays) };
        await using var c = await connections.OpenAsync(cancellationToken);
        var lists = (await c.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT l.id FROM recipient_lists l
            WHERE l.created_at < @cutoff AND EXISTS (SELECT 1 FROM recipient_list_errors e WHERE e.list_id = l.id)
              AND {LegalHolds.NotHeld("l.campaign_id")}
            """, args, cancellationToken: cancellationToken))).ToList();
        foreach (var listId in lists)
        {
            context.Count(await c.ExecuteAsync(new CommandDefinition("DELETE FROM recipient_list_errors WHERE list_id = @listId", new { listId }, cancellationToken: cancellationToken)));
        }
    }
}
