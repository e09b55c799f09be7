using System.Globalization;
using System.Text;
using CouponDesk.Shared.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.SnapStandIn;

/// <summary>
/// The agent loop (spec/snap-agent.md §4, §15). Every status change is one committed, conditional transition, so the
/// loop can die at any instant and resume from the table alone:
/// <list type="number">
/// <item>claim: <c>ready</c> rows due by the database's NOW() (<c>LIMIT 1000</c>, no ORDER BY), locked with SKIP LOCKED
/// and moved to <c>pre-image</c> (with files) or <c>pre-send</c>;</item>
/// <item>check (<c>pre-image</c>): gateway validation; a failure goes straight to <c>complete</c>;</item>
/// <item>send (<c>pre-send</c> → <c>request</c>) at the configured TPS; the ledger row is written in the same transaction,
/// so a message is handed to the "gateway" exactly once whatever happens;</item>
/// <item>complete (<c>request</c> → <c>complete</c>) after the delivery delay;</item>
/// <item>move: copy into <c>UMS_LOG_YYYYMM</c> and delete, in one transaction.</item>
/// </list>
/// Transactions run at READ COMMITTED: only the stand-in changes rows it has claimed, and without gap locks its claims
/// and moves do not deadlock the back office's concurrent INSERTs.
/// </summary>
public sealed class AgentWorker(
    AgentOptions options,
    AgentState state,
    AgentTables tables,
    GatewayChecks checks,
    OutcomePolicy outcomes,
    ILogger<AgentWorker> logger) : BackgroundService
{
    /// <summary>The agent's now in SQL: the database's <c>NOW()</c>, shifted by <see cref="AgentOptions.ClockOffsetSeconds"/> when set.</summary>
    private string Now => options.ClockOffsetSeconds == 0
        ? "NOW()"
        : string.Create(CultureInfo.InvariantCulture, $"(NOW() + INTERVAL {options.ClockOffsetSeconds} SECOND)");

    private const string RowColumns =
        "CLIENT_KEY AS ClientKey, CALLBACK_NUMBER AS CallbackNumber, PHONE AS Phone, TITLE AS Title, MSG AS Msg, " +
        "MMS_FILE_LIST AS FileList, DATE_FORMAT(REQ_DATE, '%Y%m') AS ReqMonth";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await tables.EnsureAsync(stoppingToken);
                break;
            }
            catch (MySqlException ex)
            {
                logger.LogWarning("Agent tables not ready yet ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!state.Paused)
                {
                    await CycleAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Agent cycle failed; retrying at the next poll");
            }

            state.CycleDone();
            await Task.Delay(options.PollIntervalMs, stoppingToken);
        }
    }

    private async Task CycleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await tables.OpenAsync(cancellationToken);
        foreach (var channel in options.Channels)
        {
            foreach (var line in options.LineTypes)
            {
                await ClaimAsync(connection, channel, line, cancellationToken);
            }
        }

        await CheckAsync(connection, cancellationToken);
        await SendAsync(connection, cancellationToken);
        await CompleteAsync(connection, cancellationToken);
        await MoveAsync(connection, cancellationToken);
    }

    private async Task ClaimAsync(MySqlConnection connection, string channel, string line, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        var keys = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT CLIENT_KEY FROM {tables.Send}
            WHERE MSG_STATUS = 'ready' AND REQ_CH = @channel AND TRAFFIC_TYPE = @line AND REQ_DATE < {Now}
            LIMIT 1000 FOR UPDATE SKIP LOCKED
            """,
            new { channel, line }, transaction, cancellationToken: cancellationToken))).ToArray();
        state.Polled(keys.Length);
        if (keys.Length > 0)
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {tables.Send}
                SET MSG_STATUS = IF(COALESCE(MMS_FILE_LIST, '') = '', 'pre-send', 'pre-image')
                WHERE CLIENT_KEY IN @keys AND MSG_STATUS = 'ready'
                """,
                new { keys }, transaction, cancellationToken: cancellationToken));
            state.Claimed(claimed);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task CheckAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<AgentRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM {tables.Send} WHERE MSG_STATUS IN ('pre-image', 'pre-send') AND ROUTE_INFO IS NULL",
            cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var duplicates = await KeysInLogTablesAsync(connection, [.. rows.Select(r => r.ClientKey)]);
        var failures = new List<(string Key, string Code)>();
        var passed = new List<string>();
        foreach (var row in rows)
        {
            var code = duplicates.Contains(row.ClientKey) ? "29024" : checks.Check(row);
            if (code is null)
            {
                passed.Add(row.ClientKey);
            }
            else
            {
                failures.Add((row.ClientKey, code));
            }
        }

        // Checked rows are marked by ROUTE_INFO (the "session" that will send them) and wait in pre-send.
        if (passed.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {tables.Send} SET MSG_STATUS = 'pre-send', ROUTE_INFO = 'STANDIN-01' WHERE CLIENT_KEY IN @passed AND MSG_STATUS IN ('pre-image', 'pre-send')",
                new { passed }, cancellationToken: cancellationToken));
        }

        foreach (var group in failures.GroupBy(f => f.Code))
        {
            var keys = group.Select(g => g.Key).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {tables.Send}
                SET MSG_STATUS = 'complete', DONE_DATE = {Now}, DONE_CODE = @code, DONE_CODE_DESC = @desc
                WHERE CLIENT_KEY IN @keys AND MSG_STATUS IN ('pre-image', 'pre-send')
                """,
                new { keys, code = group.Key, desc = Describe(group.Key) }, cancellationToken: cancellationToken));
            state.Finished(group.Key, keys.Length);
        }
    }

    private async Task SendAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var keys = (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT CLIENT_KEY FROM {tables.Send} WHERE MSG_STATUS = 'pre-send' AND ROUTE_INFO IS NOT NULL LIMIT 5000",
            cancellationToken: cancellationToken))).ToList();
        if (options.Shuffle)
        {
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys));
        }

        // Chunks of a tenth of the TPS every 100 ms: the configured rate without a timer per message.
        var chunkSize = Math.Max(1, options.Tps / 10);
        var started = DateTime.UtcNow;
        var chunkIndex = 0;
        foreach (var chunk in keys.Chunk(chunkSize))
        {
            if (state.Paused || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var dueAt = started + TimeSpan.FromMilliseconds(100.0 * chunkIndex * chunkSize * 10 / options.Tps);
            if (dueAt > DateTime.UtcNow)
            {
                await Task.Delay(dueAt - DateTime.UtcNow, cancellationToken);
            }

            await SendChunkAsync(connection, chunk, cancellationToken);
            chunkIndex++;
        }
    }

    private async Task SendChunkAsync(MySqlConnection connection, string[] keys, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        var rows = (await connection.QueryAsync<AgentRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM {tables.Send} WHERE CLIENT_KEY IN @keys AND MSG_STATUS = 'pre-send' FOR UPDATE",
            new { keys }, transaction, cancellationToken: cancellationToken))).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var today = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            $"SELECT DATE_FORMAT({Now}, '%Y%m%d')", transaction: transaction, cancellationToken: cancellationToken));
        var ledger = new StringBuilder(
            $"INSERT INTO {AgentTables.Ledger} (client_key, phone, title, msg, image_files, deliver_count, first_delivered_at, last_delivered_at) VALUES ");
        await using var insert = new MySqlCommand { Connection = connection, Transaction = transaction };
        for (var i = 0; i < rows.Length; i++)
        {
            var copies = CopyImages(rows[i], today!);
            ledger.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@k{i},@p{i},@t{i},@m{i},@f{i},1,{Now},{Now})");
            insert.Parameters.AddWithValue($"@k{i}", rows[i].ClientKey);
            insert.Parameters.AddWithValue($"@p{i}", rows[i].Phone);
            insert.Parameters.AddWithValue($"@t{i}", rows[i].Title);
            insert.Parameters.AddWithValue($"@m{i}", rows[i].Msg);
            insert.Parameters.AddWithValue($"@f{i}", string.Join(',', copies));
        }

        // A second delivery of one key would show as deliver_count 2: the ledger records the bug instead of hiding it.
        ledger.Append($" ON DUPLICATE KEY UPDATE deliver_count = deliver_count + 1, last_delivered_at = {Now}");
        insert.CommandText = ledger.ToString();
        await insert.ExecuteNonQueryAsync(cancellationToken);
        var sentKeys = rows.Select(r => r.ClientKey).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {tables.Send} SET MSG_STATUS = 'request', SENT_DATE = {Now} WHERE CLIENT_KEY IN @sentKeys AND MSG_STATUS = 'pre-send'",
            new { sentKeys }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        state.Sent(rows.Length);
    }

    private List<string> CopyImages(AgentRow row, string yyyymmdd)
    {
        var folder = Path.Combine(options.Home, yyyymmdd);
        Directory.CreateDirectory(folder);
        var copies = new List<string>();
        var files = GatewayChecks.Files(row.FileList);
        for (var i = 0; i < files.Length; i++)
        {
            var target = Path.Combine(folder, $"{row.ClientKey}_{i + 1}{Path.GetExtension(files[i]).ToLowerInvariant()}");
            File.Copy(files[i], target, overwrite: true);
            copies.Add(target);
        }

        return copies;
    }

    private async Task CompleteAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var inFlight = await connection.QueryAsync<(string Key, string? Phone, long ElapsedMs)>(new CommandDefinition(
            $"SELECT CLIENT_KEY, PHONE, TIMESTAMPDIFF(SECOND, SENT_DATE, {Now}) * 1000 FROM {tables.Send} WHERE MSG_STATUS = 'request'",
            cancellationToken: cancellationToken));
        var due = inFlight
            .Where(r => r.ElapsedMs >= outcomes.DeliveryDelay(r.Key).TotalMilliseconds)
            .Select(r => (r.Key, Code: outcomes.Decide(r.Key, r.Phone), Telco: outcomes.Telco(r.Key)))
            .Where(r => r.Code != OutcomePolicy.NoResult);
        foreach (var group in due.GroupBy(r => (r.Code, r.Telco)))
        {
            var keys = group.Select(g => g.Key).ToArray();
            var success = group.Key.Code == SnapDoneCodes.Success;
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {tables.Send}
                SET MSG_STATUS = 'complete', DONE_CH = 'MMS', DONE_PRODUCT = @product, DONE_DATE = {Now},
                    DONE_CODE = @code, DONE_CODE_DESC = @desc, DONE_TELCO = @telco, DONE_FB_DETAIL = NULL
                WHERE CLIENT_KEY IN @keys AND MSG_STATUS = 'request'
                """,
                new { keys, product = success ? "MMS" : null, code = group.Key.Code, desc = Describe(group.Key.Code), telco = group.Key.Telco },
                cancellationToken: cancellationToken));
            state.Finished(group.Key.Code, keys.Length);
        }
    }

    private async Task MoveAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var finished = await connection.QueryAsync<(string Key, string Month)>(new CommandDefinition(
            $"""
            SELECT CLIENT_KEY, DATE_FORMAT({(options.LogMonth == "req-date" ? "REQ_DATE" : Now)}, '%Y%m')
            FROM {tables.Send}
            WHERE MSG_STATUS = 'complete' AND DONE_DATE <= {Now} - INTERVAL @keep SECOND
            """,
            new { keep = options.KeepCompleteMs / 1000 }, cancellationToken: cancellationToken));
        foreach (var month in finished.GroupBy(f => f.Month))
        {
            var log = UmsTableDdl.Quote(await tables.EnsureLogTableAsync(connection, month.Key)); // DDL: outside the transaction
            foreach (var chunk in month.Select(m => m.Key).Chunk(1000))
            {
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    INSERT INTO {log} ({UmsTableDdl.ColumnNames})
                    SELECT {UmsTableDdl.ColumnNames} FROM {tables.Send} WHERE CLIENT_KEY IN @chunk AND MSG_STATUS = 'complete'
                    """,
                    new { chunk }, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM {tables.Send} WHERE CLIENT_KEY IN @chunk AND MSG_STATUS = 'complete'",
                    new { chunk }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
            }
        }
    }

    private async Task<HashSet<string>> KeysInLogTablesAsync(MySqlConnection connection, string[] keys)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in await tables.LogTablesAsync(connection))
        {
            foreach (var chunk in keys.Chunk(1000))
            {
                found.UnionWith(await connection.QueryAsync<string>(
                    $"SELECT CLIENT_KEY FROM {UmsTableDdl.Quote(table)} WHERE CLIENT_KEY IN @chunk", new { chunk }));
            }
        }

        return found;
    }

    private static string Describe(string code) => SnapDoneCodes.Find(code)?.MeaningKo ?? "기타 오류";
}
