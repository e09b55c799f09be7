using System.Globalization;
using System.Text;
using CouponDesk.Data;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Text;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Messages;

/// <summary>
/// One result-sync pass (spec §5.5, snap-agent.md §12.3): walks every pending message (READY / IN_AGENT, due) in id
/// order, 1,000 at a time, reads the agent's tables for them, and stores what changed — IN_AGENT when the agent has
/// taken a row, the final result when it is complete, RESULT_TIMEOUT when nothing was found 24 h after REQ_DATE.
/// Each batch is one transaction that re-checks the rows are still pending (<c>FOR UPDATE</c>), so a result is stored
/// and handed to the <see cref="IDeliveryResultHandler"/>s exactly once however often or concurrently this runs.
/// Only pending messages are visited, so finished months are never re-read.
/// </summary>
public sealed class DeliveryResultSync(
    DbConnectionFactory connections,
    SnapResultReader reader,
    SnapOptions options,
    IEnumerable<IDeliveryResultHandler> handlers,
    TimeProvider time,
    ILogger<DeliveryResultSync> logger)
{
    private const int BatchSize = 1000;

    public async Task<ResultSyncSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        var summary = new ResultSyncSummary();
        long cursor = 0;
        await using var connection = await connections.OpenAsync(cancellationToken);
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var pending = (await connection.QueryAsync<PendingMessage>(new CommandDefinition(
                $"""
                SELECT id, client_key AS ClientKey, status, req_at AS ReqAt, campaign_id AS CampaignId,
                       recipient_id AS RecipientId, coupon_id AS CouponId, attempt_no AS AttemptNo
                FROM messages
                WHERE status IN ('{MessageStatus.Ready}', '{MessageStatus.InAgent}') AND id > @cursor AND req_at <= @now
                ORDER BY id
                LIMIT 1000
                """,
                new { cursor, now }, cancellationToken: cancellationToken))).ToArray();
            if (pending.Length == 0)
            {
                return summary;
            }

            cursor = pending[^1].Id;
            summary.Visited += pending.Length;
            var rows = await reader.ReadAsync(connection, [.. pending.Select(p => new AgentLookup(p.ClientKey, p.ReqAt))], now, cancellationToken);
            var changes = Decide(pending, rows, now);
            if (changes.Count > 0)
            {
                // Run again whole when it loses a deadlock or a cluster certification conflict (the agent's rows moved meanwhile are re-checked).
                var (final, taken) = await DeadlockRetry.RunAsync(() => ApplyAsync(connection, changes, now, cancellationToken), logger, "result sync batch");
                summary.Final += final;
                summary.TakenByAgent += taken;
            }

            if (pending.Length < BatchSize)
            {
                return summary;
            }
        }
    }

    private List<Change> Decide(PendingMessage[] pending, IReadOnlyDictionary<string, AgentResultRow> rows, DateTime now)
    {
        var changes = new List<Change>();
        var timeout = TimeSpan.FromHours(options.ResultTimeoutHours);
        foreach (var message in pending)
        {
            if (rows.TryGetValue(message.ClientKey, out var row))
            {
                if (row.IsComplete)
                {
                    var outcome = SnapDoneCodes.Classify(row.DoneCode) switch
                    {
                        SnapOutcome.Success => DeliveryOutcome.Success,
                        SnapOutcome.ResendRecommended => DeliveryOutcome.ResendRecommended,
                        _ => DeliveryOutcome.Failure,
                    };
                    if (outcome != DeliveryOutcome.Success && SnapDoneCodes.Find(row.DoneCode) is null)
                    {
                        logger.LogWarning("Unknown DONE_CODE {DoneCode} for message {MessageId}; treated as a final failure", row.DoneCode, message.Id);
                    }

                    changes.Add(new Change(message, outcome == DeliveryOutcome.Success ? MessageStatus.Success : MessageStatus.Failure, outcome, row));
                }
                else if (!row.IsReady && DateTime.SpecifyKind(message.ReqAt, DateTimeKind.Utc) + timeout <= now)
                {
                    // Taken by the agent but still without a result after the grace period (stuck in request): RESULT_TIMEOUT too.
                    changes.Add(new Change(message, MessageStatus.ResultTimeout, DeliveryOutcome.ResultTimeout, null));
                }
                else if (!row.IsReady && message.Status == MessageStatus.Ready)
                {
                    changes.Add(new Change(message, MessageStatus.InAgent, null, row));
                }
            }
            else if (DateTime.SpecifyKind(message.ReqAt, DateTimeKind.Utc) + timeout <= now)
            {
                changes.Add(new Change(message, MessageStatus.ResultTimeout, DeliveryOutcome.ResultTimeout, null));
            }
        }

        return changes;
    }

    /// <summary>One batch in one transaction; returns (final results stored, rows newly taken by the agent).</summary>
    private async Task<(int Final, int Taken)> ApplyAsync(MySqlConnection connection, List<Change> changes, DateTime now, CancellationToken cancellationToken)
    {
        var (final, taken) = (0, 0);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = changes.Select(c => c.Message.Id).ToArray();
        var current = (await connection.QueryAsync<(long Id, string Status)>(new CommandDefinition(
            "SELECT id, status FROM messages WHERE id IN @ids FOR UPDATE", new { ids }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Id, r => r.Status);

        // Another run (or a withdrawal) may have moved a row since we read it: apply only what is still pending.
        var applicable = changes.Where(c => current.TryGetValue(c.Message.Id, out var status)
            && status is MessageStatus.Ready or MessageStatus.InAgent
            && !(c.NewStatus == MessageStatus.InAgent && status == MessageStatus.InAgent)).ToList();
        if (applicable.Count > 0)
        {
            await UpdateAsync(connection, transaction, applicable, now, cancellationToken);
            var results = applicable.Where(c => c.Outcome is not null).Select(ToResult).ToList();
            if (results.Count > 0)
            {
                foreach (var handler in handlers)
                {
                    await handler.HandleAsync(results, connection, transaction, cancellationToken);
                }
            }

            final = results.Count;
            taken = applicable.Count - results.Count;
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var change in applicable.Where(c => c.Outcome is not null))
        {
            Web.Metrics.CouponDeskMetrics.Result(change.Outcome!.Value.ToString());
        }

        return (final, taken);
    }

    private static async Task UpdateAsync(MySqlConnection connection, MySqlTransaction transaction, List<Change> changes, DateTime now, CancellationToken cancellationToken)
    {
        // One UPDATE … JOIN over a derived table of the new values: one statement per batch, not one per row.
        var values = new StringBuilder();
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        command.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < changes.Count; i++)
        {
            var c = changes[i];
            values.Append(i == 0 ? "SELECT " : " UNION ALL SELECT ").Append(CultureInfo.InvariantCulture,
                $"@id{i} AS id, @st{i} AS status, @oc{i} AS outcome, @sa{i} AS sent_at, @da{i} AS done_at, @dc{i} AS done_code, @dd{i} AS done_code_desc, @dt{i} AS done_telco, @dp{i} AS done_product, @fin{i} AS final");
            command.Parameters.AddWithValue($"@id{i}", c.Message.Id);
            command.Parameters.AddWithValue($"@st{i}", c.NewStatus);
            command.Parameters.AddWithValue($"@oc{i}", c.Outcome is { } o ? OutcomeName(o) : null);
            command.Parameters.AddWithValue($"@sa{i}", c.Row?.SentAtUtc);
            command.Parameters.AddWithValue($"@da{i}", c.Outcome is null ? null : c.Row?.DoneAtUtc);
            command.Parameters.AddWithValue($"@dc{i}", c.Outcome is null ? null : c.Row?.DoneCode);
            command.Parameters.AddWithValue($"@dd{i}", c.Outcome is null ? null : Truncation.Truncate(c.Row?.DoneCodeDesc, 200));
            command.Parameters.AddWithValue($"@dt{i}", c.Outcome is null ? null : Truncation.Truncate(c.Row?.DoneTelco, 10));
            command.Parameters.AddWithValue($"@dp{i}", c.Outcome is null ? null : Truncation.Truncate(c.Row?.DoneProduct, 10));
            command.Parameters.AddWithValue($"@fin{i}", c.Outcome is not null);
        }

        command.CommandText = $"""
            UPDATE messages m JOIN ({values}) v ON v.id = m.id
            SET m.status = v.status,
                m.outcome = v.outcome,
                m.sent_at = COALESCE(v.sent_at, m.sent_at),
                m.done_at = v.done_at,
                m.done_code = v.done_code,
                m.done_code_desc = v.done_code_desc,
                m.done_telco = v.done_telco,
                m.done_product = v.done_product,
                m.result_at = IF(v.final, @now, NULL),
                m.updated_at = @now
            WHERE m.status IN ('{MessageStatus.Ready}', '{MessageStatus.InAgent}')
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DeliveryResult ToResult(Change c) => new(
        c.Message.Id, c.Message.ClientKey, c.Message.CampaignId, c.Message.RecipientId, c.Message.CouponId, c.Message.AttemptNo,
        c.NewStatus, c.Outcome!.Value, c.Row?.DoneCode, c.Row?.DoneCodeDesc ?? (c.Outcome == DeliveryOutcome.ResultTimeout ? "결과 미수신" : null),
        c.Row?.SentAtUtc, c.Row?.DoneAtUtc, c.Row?.DoneTelco);

    public static string OutcomeName(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Success => "SUCCESS",
        DeliveryOutcome.ResendRecommended => "RESEND_RECOMMENDED",
        DeliveryOutcome.ResultTimeout => "TIMEOUT",
        _ => "FAILURE",
    };

    private sealed record Change(PendingMessage Message, string NewStatus, DeliveryOutcome? Outcome, AgentResultRow? Row);

#pragma warning disable CA1812 // instantiated by Dapper
    private sealed record PendingMessage(long Id, string ClientKey, string Status, DateTime ReqAt, long? CampaignId, long? RecipientId, long? CouponId, int AttemptNo);
#pragma warning restore CA1812
}

/// <summary>What one pass did (for logs, tests and the benchmark).</summary>
public sealed class ResultSyncSummary
{
    public int Visited { get; set; }

    public int Final { get; set; }

    public int TakenByAgent { get; set; }
}
