using CouponDesk.Data;
using CouponDesk.Features.Messages;
using CouponDesk.Integrations.Snap;
using CouponDesk.Shared.Snap;
using CouponDesk.Tests.Integrations.Snap;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace CouponDesk.Tests.Features.Messages;

/// <summary>The test plays the agent with plain SQL on UMS_MSG and the month tables; the result sync must read them right.</summary>
public sealed class DeliveryResultSyncTests(SnapKit kit) : IClassFixture<SnapKit>
{
    private readonly RecordingHandler handler = new();

    [Fact]
    public async Task A_complete_row_with_10000_is_success_and_is_ingested_exactly_once()
    {
        var queued = await QueueAsync();
        await AgentCompletesAsync(queued.ClientKey, "10000", "성공");

        await SyncAsync();
        await SyncAsync();

        var result = Assert.Single(handler.Results, r => r.MessageId == queued.MessageId);
        Assert.Equal(DeliveryOutcome.Success, result.Outcome);
        Assert.Equal("LGU", result.Telco);
        Assert.NotNull(result.DoneAtUtc);
        var row = await MessageAsync(queued.MessageId);
        Assert.Equal((MessageStatus.Success, "SUCCESS", "10000", "성공"), (row.Status, row.Outcome, row.DoneCode, row.DoneCodeDesc));
    }

    [Fact]
    public async Task Done_date_written_by_the_agent_in_kst_is_stored_as_utc()
    {
        var queued = await QueueAsync();
        await AgentCompletesAsync(queued.ClientKey, "10000", "성공");

        await SyncAsync();

        var doneAt = await kit.ScalarAsync<DateTime>("SELECT done_at FROM messages WHERE id = @MessageId", new { queued.MessageId });
        Assert.InRange((DateTime.UtcNow - DateTime.SpecifyKind(doneAt, DateTimeKind.Utc)).TotalSeconds, -5, 30);
    }

    [Theory]
    [InlineData("00000", DeliveryOutcome.Failure)]
    [InlineData("31112", DeliveryOutcome.ResendRecommended)]
    [InlineData("49123", DeliveryOutcome.ResendRecommended)]
    [InlineData("22002", DeliveryOutcome.Failure)]
    [InlineData("91234", DeliveryOutcome.Failure)]
    [InlineData("77777", DeliveryOutcome.Failure)]
    [InlineData(" 10000 ", DeliveryOutcome.Success)]
    public async Task Codes_map_through_the_code_table(string code, DeliveryOutcome expected)
    {
        var queued = await QueueAsync();
        await AgentCompletesAsync(queued.ClientKey, code, "설명");

        await SyncAsync();

        Assert.Equal(expected, Assert.Single(handler.Results, r => r.MessageId == queued.MessageId).Outcome);
    }

    [Fact]
    public async Task A_row_taken_by_the_agent_is_in_agent_and_not_yet_a_result()
    {
        var queued = await QueueAsync();
        await kit.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = 'request', SENT_DATE = NOW() WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });

        await SyncAsync();

        Assert.Equal(MessageStatus.InAgent, (await MessageAsync(queued.MessageId)).Status);
        Assert.DoesNotContain(handler.Results, r => r.MessageId == queued.MessageId);
    }

    [Fact]
    public async Task A_result_already_moved_to_a_month_table_is_found_there_and_duplicates_take_the_latest()
    {
        var queued = await QueueAsync();
        await AgentCompletesAsync(queued.ClientKey, "31107", "전원 꺼짐");
        var log = await MoveToLogAsync(queued.ClientKey);
        // A copy left by an agent crash between copy and delete: an older duplicate with another result.
        await kit.ExecuteAsync($"INSERT INTO {log} ({UmsTableDdl.ColumnNames}) SELECT {UmsTableDdl.ColumnNames} FROM {log} WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        await kit.ExecuteAsync($"UPDATE {log} SET DONE_CODE = '10000', DONE_DATE = NOW() - INTERVAL 1 HOUR WHERE CLIENT_KEY = @ClientKey LIMIT 1", new { queued.ClientKey });

        await SyncAsync();

        Assert.Equal("31107", (await MessageAsync(queued.MessageId)).DoneCode);
        // Reading never alters a table (no DDL at run time): the helper index is the month-table job's to add.
        Assert.Equal(0, await kit.ScalarAsync<int>(
            "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @log AND INDEX_NAME = 'CD_IDX_CLIENT_KEY'", new { log }));
    }

    [Fact]
    public async Task A_row_moving_from_the_send_table_to_the_month_table_mid_read_is_still_ingested_in_that_pass()
    {
        var queued = await QueueAsync();
        await kit.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = 'request', SENT_DATE = NOW() WHERE CLIENT_KEY = @ClientKey", new { queued.ClientKey });
        var reader = new SnapResultReader(kit.Get<SnapOptions>())
        {
            BetweenReads = async () =>
            {
                await AgentCompletesAsync(queued.ClientKey, "10000", "성공");
                await MoveToLogAsync(queued.ClientKey);
            },
        };

        await SyncAsync(reader);

        Assert.Equal(MessageStatus.Success, (await MessageAsync(queued.MessageId)).Status);
        Assert.Single(handler.Results, r => r.MessageId == queued.MessageId);
    }

    [Fact]
    public async Task A_message_found_nowhere_24_hours_after_its_time_is_a_result_timeout_and_before_that_stays_pending()
    {
        var late = await QueueAsync();
        var recent = await QueueAsync();
        await kit.ExecuteAsync("DELETE FROM UMS_MSG WHERE CLIENT_KEY IN @keys", new { keys = new[] { late.ClientKey, recent.ClientKey } });
        await kit.ExecuteAsync("UPDATE messages SET req_at = @at WHERE id = @MessageId", new { at = DateTime.UtcNow.AddHours(-25), late.MessageId });

        await SyncAsync();

        Assert.Equal(MessageStatus.ResultTimeout, (await MessageAsync(late.MessageId)).Status);
        Assert.Equal(DeliveryOutcome.ResultTimeout, Assert.Single(handler.Results, r => r.MessageId == late.MessageId).Outcome);
        Assert.Equal(MessageStatus.Ready, (await MessageAsync(recent.MessageId)).Status);
    }

    [Fact]
    public async Task A_failing_handler_rolls_the_batch_back_and_the_result_is_delivered_on_the_next_run()
    {
        var queued = await QueueAsync();
        await AgentCompletesAsync(queued.ClientKey, "10000", "성공");
        handler.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => SyncAsync());
        Assert.Equal(MessageStatus.Ready, (await MessageAsync(queued.MessageId)).Status);

        await SyncAsync();
        Assert.Equal(MessageStatus.Success, (await MessageAsync(queued.MessageId)).Status);
        Assert.Single(handler.Results, r => r.MessageId == queued.MessageId);
    }

    [Fact]
    public async Task A_handler_writes_in_the_same_transaction_as_the_update()
    {
        var queued = await QueueAsync();
        await AgentCompletesAsync(queued.ClientKey, "10000", "성공");

        await SyncAsync();

        Assert.Equal(1, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM handler_probe WHERE message_id = @MessageId", new { queued.MessageId }));
    }

    private async Task<QueuedMms> QueueAsync() => (await kit.QueueAsync(await kit.MmsAsync())).Single();

    private Task<int> AgentCompletesAsync(string clientKey, string code, string desc) => kit.ExecuteAsync(
        """
        UPDATE UMS_MSG SET MSG_STATUS = 'complete', SENT_DATE = NOW(), DONE_CH = 'MMS', DONE_DATE = NOW(),
               DONE_CODE = @code, DONE_CODE_DESC = @desc, DONE_TELCO = 'LGU'
        WHERE CLIENT_KEY = @clientKey
        """, new { clientKey, code, desc });

    private async Task<string> MoveToLogAsync(string clientKey)
    {
        var log = UmsTableDdl.LogTableName(UmsTableDdl.DefaultLogTablePrefix, DateTime.UtcNow.AddHours(9).Year, DateTime.UtcNow.AddHours(9).Month);
        await kit.ExecuteAsync(UmsTableDdl.CreateLogTable(log));
        await using var connection = await kit.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync($"INSERT INTO {log} ({UmsTableDdl.ColumnNames}) SELECT {UmsTableDdl.ColumnNames} FROM UMS_MSG WHERE CLIENT_KEY = @clientKey", new { clientKey }, transaction);
        await connection.ExecuteAsync("DELETE FROM UMS_MSG WHERE CLIENT_KEY = @clientKey", new { clientKey }, transaction);
        await transaction.CommitAsync();
        return log;
    }

    private async Task<ResultSyncSummary> SyncAsync(SnapResultReader? reader = null)
    {
        // DDL commits implicitly in MariaDB: the probe table is made before the handler's transaction, never inside it.
        await kit.ExecuteAsync("CREATE TABLE IF NOT EXISTS handler_probe (message_id BIGINT NOT NULL)");
        return await new DeliveryResultSync(
            kit.Get<DbConnectionFactory>(), reader ?? kit.Get<SnapResultReader>(), kit.Get<SnapOptions>(), [handler],
            TimeProvider.System, NullLogger<DeliveryResultSync>.Instance).RunOnceAsync(CancellationToken.None);
    }

    private async Task<(string Status, string? Outcome, string? DoneCode, string? DoneCodeDesc)> MessageAsync(long id)
    {
        await using var connection = await kit.OpenAsync();
        return await connection.QuerySingleAsync<(string, string?, string?, string?)>(
            "SELECT status, outcome, done_code, done_code_desc FROM messages WHERE id = @id", new { id });
    }

    private sealed class RecordingHandler : IDeliveryResultHandler
    {
        public List<DeliveryResult> Results { get; } = [];

        public bool FailNext { get; set; }

        public async Task HandleAsync(IReadOnlyList<DeliveryResult> results, MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
        {
            await connection.ExecuteAsync("INSERT INTO handler_probe VALUES " + string.Join(',', results.Select(r => $"({r.MessageId})")), transaction: transaction);
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("handler failed");
            }

            Results.AddRange(results);
        }
    }
}
