using CouponDesk.Data;
using CouponDesk.Features.Privacy;
using CouponDesk.Integrations.Snap;
using Dapper;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Deletes staged MMS images (the barcode is readable, spec §7.1) once they can no longer be read by the agent:
/// <c>Snap:ImageRetentionDays</c> after their message's result was stored, or after it was withdrawn (spec §5.8
/// "rendered image purge", daily 02:30 KST, a purge step of <see cref="PurgeSchedule.Images"/>). Images of pending
/// messages are never touched: the agent reads them until the row is complete. Held campaigns keep theirs; an image
/// is re-drawn on demand while the coupon number is kept. Counts deleted files.
/// </summary>
public sealed class StagedImagePurge(DbConnectionFactory connections, SnapImageStager stager, SnapOptions options) : IPiiPurgeStep
{
    public string Name => "messages.images";

    public PurgeSchedule Schedule => PurgeSchedule.Images;

    public async Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken)
    {
        var now = context.NowUtc;
        var before = now.AddDays(-options.ImageRetentionDays);
        await using var connection = await connections.OpenAsync(cancellationToken);
        long afterId = 0;
        while (true)
        {
            var rows = (await connection.QueryAsync<(long Id, string Files)>(new CommandDefinition(
                $"""
                SELECT m.id, m.image_files FROM messages m
                WHERE m.id > @afterId AND m.images_purged_at IS NULL AND m.image_files IS NOT NULL
                  AND ((m.result_at IS NOT NULL AND m.result_at <= @before) OR (m.status = '{MessageStatus.Withdrawn}' AND m.updated_at <= @before))
                  AND {LegalHolds.NotHeld("m.campaign_id")}
                ORDER BY m.id LIMIT 1000
                """,
                new { before, now, afterId }, cancellationToken: cancellationToken))).ToArray();
            if (rows.Length == 0)
            {
                return;
            }

            // Files first, then the mark: a crash in between leaves the mark unset and the next run deletes nothing
            // twice (a file already gone is not counted).
            var deleted = stager.Delete(rows.SelectMany(r => r.Files.Split(',', StringSplitOptions.RemoveEmptyEntries)));
            var ids = rows.Select(r => r.Id).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE messages SET images_purged_at = @now WHERE id IN @ids", new { ids, now }, cancellationToken: cancellationToken));
            context.Count(deleted);
            afterId = ids[^1];
        }
    }
}
