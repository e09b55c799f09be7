using System.Text;
using CouponDesk.Data;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// Recipient lists in the database. Staging writes a list, its encrypted rows and its errors in one transaction with
/// multi-row inserts; accepting points the draft campaign at the list and retires the previous one in one transaction,
/// so a campaign always has exactly one complete list or none. Phones and names are bound to their row (list, seq):
/// the list's id comes from its header's insert, so they are encrypted right after it, in the same transaction, and the
/// rows still go in multi-row inserts — no statement per row (D-SEC-12).
/// </summary>
public sealed class RecipientListStore(DbConnectionFactory connections, PiiProtector pii, PiiReader reader, TimeProvider time)
{
    private const int BatchSize = 1000;

    public Task<(AcceptOutcome Outcome, long ListId)> StageAsync(long campaignId, string source, string? fileName, ParsedRecipientList parsed, long? userId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => StageOnceAsync(campaignId, source, fileName, parsed, userId, cancellationToken), "recipient list");

    private async Task<(AcceptOutcome Outcome, long ListId)> StageOnceAsync(long campaignId, string source, string? fileName, ParsedRecipientList parsed, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var status = await CampaignStatusForUpdateAsync(connection, tx, campaignId);
        if (status != "DRAFT")
        {
            return (status is null ? AcceptOutcome.CampaignNotFound : AcceptOutcome.CampaignNotDraft, 0);
        }

        // Only the newest unaccepted upload of a campaign is kept: an abandoned one would hold personal data for nothing.
        var stale = (await connection.QueryAsync<long>(
            "SELECT id FROM recipient_lists WHERE campaign_id = @campaignId AND status = 'STAGED' FOR UPDATE", new { campaignId }, tx)).ToList();
        await RetireAsync(connection, tx, stale, RecipientListStatus.Discarded);

        var listId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO recipient_lists (campaign_id, status, source, file_name, total_rows, valid_count, error_count, duplicate_count, created_by, created_at)
            VALUES (@campaignId, 'STAGED', @source, @fileName, @total, @valid, @errors, @duplicates, @userId, @now);
            SELECT LAST_INSERT_ID();
            """,
            new { campaignId, source, fileName, total = parsed.Total, valid = parsed.Valid.Count, errors = parsed.ErrorCount, duplicates = parsed.DuplicateCount, userId, now },
            tx);

        // Bound to (list, seq), so encrypted once the list has its id: AES-GCM on 20,000 short values is a few
        // milliseconds of CPU inside the transaction, against no extra round trip.
        var rows = new List<EncryptedRow>(parsed.Valid.Count);
        for (var i = 0; i < parsed.Valid.Count; i++)
        {
            var (entry, seq) = (parsed.Valid[i], i + 1);
            rows.Add(new EncryptedRow(
                entry.SourceRow,
                pii.Encrypt(entry.Phone, RecipientsModule.PhoneColumn.PlaceOf(listId, seq)),
                pii.BlindIndex("phone", entry.Phone),
                entry.Name is null ? null : pii.Encrypt(entry.Name, RecipientsModule.NameColumn.PlaceOf(listId, seq))));
        }

        await InsertRowsAsync(connection, tx, listId, rows, cancellationToken);
        await InsertErrorsAsync(connection, tx, listId, parsed.Errors, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (AcceptOutcome.Accepted, listId);
    }

    /// <summary>The campaign's state, or null when it does not exist (or was deleted).</summary>
    public async Task<string?> CampaignStatusAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT status FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL", new { campaignId });
    }

    /// <summary>The accepted list of a campaign: null when the campaign does not exist, 0 when it has no list yet.</summary>
    public async Task<long?> AcceptedListIdAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long? ListId)?>(
            "SELECT id, recipient_list_id FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL", new { campaignId });
        return row is null ? null : row.Value.ListId ?? 0;
    }

    private static Task<string?> CampaignStatusForUpdateAsync(MySqlConnection connection, MySqlTransaction tx, long campaignId) =>
        connection.ExecuteScalarAsync<string?>(
            "SELECT status FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL FOR UPDATE", new { campaignId }, tx);

    public async Task<RecipientListHeader?> FindAsync(long campaignId, long listId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RecipientListHeader>(
            """
            SELECT id AS Id, campaign_id AS CampaignId, status AS Status, source AS Source, file_name AS FileName,
                   total_rows AS TotalRows, valid_count AS ValidCount, error_count AS ErrorCount, duplicate_count AS DuplicateCount,
                   created_at AS CreatedAt, accepted_at AS AcceptedAt
            FROM recipient_lists WHERE id = @listId AND campaign_id = @campaignId
            """,
            new { campaignId, listId });
    }

    /// <summary>Rows of a list in order, phones decrypted for masking by the caller; cursor on <c>seq</c>.</summary>
    public async Task<IReadOnlyList<RecipientView>> ReadRowsAsync(long listId, int afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Seq, int SourceRow, byte[] PhoneEnc, byte[]? NameEnc)>(
            "SELECT seq, source_row, phone_enc, name_enc FROM recipient_list_rows WHERE list_id = @listId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { listId, afterSeq, limit });
        return rows.Select(r => new RecipientView(
            r.Seq,
            r.SourceRow,
            reader.Masked(r.PhoneEnc, RecipientsModule.PhoneColumn.PlaceOf(listId, r.Seq), PhoneNumber.Mask),
            r.NameEnc is null ? null : reader.Masked(r.NameEnc, RecipientsModule.NameColumn.PlaceOf(listId, r.Seq), RecipientListBuilder.MaskName))).ToList();
    }

    public async Task<IReadOnlyList<RecipientErrorView>> ReadErrorsAsync(long listId, int? limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int SourceRow, string Column, string Code, string Input)>(
            "SELECT source_row, column_name, code, input_masked FROM recipient_list_errors WHERE list_id = @listId ORDER BY seq LIMIT @limit",
            new { listId, limit = limit ?? int.MaxValue });
        return rows.Select(r => new RecipientErrorView(r.SourceRow, r.Column, r.Code, RecipientErrorCodes.LabelOf(r.Code), r.Input)).ToList();
    }

    /// <summary>
    /// Makes a staged list the campaign's list. The campaign row is locked and must be a DRAFT; the previous accepted
    /// list is retired (its personal data deleted) in the same transaction.
    /// </summary>
    public Task<AcceptOutcome> AcceptAsync(long campaignId, long listId, long? userId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => AcceptOnceAsync(campaignId, listId, userId, cancellationToken), "recipient list");

    private async Task<AcceptOutcome> AcceptOnceAsync(long campaignId, long listId, long? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var campaign = await connection.QuerySingleOrDefaultAsync<(string Status, long? ListId)?>(
            "SELECT status, recipient_list_id FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL FOR UPDATE", new { campaignId }, tx);
        if (campaign is null)
        {
            return AcceptOutcome.CampaignNotFound;
        }

        if (campaign.Value.Status != "DRAFT")
        {
            return AcceptOutcome.CampaignNotDraft;
        }

        var list = await connection.QuerySingleOrDefaultAsync<(string Status, int Valid)?>(
            "SELECT status, valid_count FROM recipient_lists WHERE id = @listId AND campaign_id = @campaignId FOR UPDATE", new { listId, campaignId }, tx);
        if (list is null)
        {
            return AcceptOutcome.ListNotFound;
        }

        if (list.Value.Status != RecipientListStatus.Staged)
        {
            return AcceptOutcome.ListNotStaged;
        }

        if (list.Value.Valid == 0)
        {
            return AcceptOutcome.NoValidRecipients;
        }

        if (campaign.Value.ListId is { } previous)
        {
            await RetireAsync(connection, tx, [previous], RecipientListStatus.Replaced);
        }

        await connection.ExecuteAsync(
            "UPDATE recipient_lists SET status = 'ACCEPTED', accepted_at = @now WHERE id = @listId", new { listId, now }, tx);
        await connection.ExecuteAsync(
            """
            UPDATE campaigns SET recipient_list_id = @listId, recipient_count = @count, updated_by = @userId, updated_at = @now, version = version + 1
            WHERE id = @campaignId
            """,
            new { listId, count = list.Value.Valid, userId, now, campaignId }, tx);
        await tx.CommitAsync(cancellationToken);
        return AcceptOutcome.Accepted;
    }

    /// <summary>Drops a staged list (the operator chose not to use it).</summary>
    public Task<bool> DiscardAsync(long campaignId, long listId, CancellationToken cancellationToken) =>
        DeadlockRetry.RunAsync(() => DiscardOnceAsync(campaignId, listId, cancellationToken), "recipient list");

    private async Task<bool> DiscardOnceAsync(long campaignId, long listId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var staged = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM recipient_lists WHERE id = @listId AND campaign_id = @campaignId AND status = 'STAGED' FOR UPDATE", new { listId, campaignId }, tx);
        if (staged is null)
        {
            return false;
        }

        await RetireAsync(connection, tx, [listId], RecipientListStatus.Discarded);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Retires every list of a campaign (deleted draft), inside the caller's transaction.</summary>
    public static async Task PurgeCampaignAsync(MySqlConnection connection, MySqlTransaction tx, long campaignId)
    {
        var lists = (await connection.QueryAsync<long>(
            "SELECT id FROM recipient_lists WHERE campaign_id = @campaignId AND status IN ('STAGED','ACCEPTED') FOR UPDATE", new { campaignId }, tx)).ToList();
        await RetireAsync(connection, tx, lists, RecipientListStatus.Discarded);
    }

    private static async Task RetireAsync(MySqlConnection connection, MySqlTransaction tx, List<long> listIds, string status)
    {
        if (listIds.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync("DELETE FROM recipient_list_rows WHERE list_id IN @listIds", new { listIds }, tx);
        await connection.ExecuteAsync("DELETE FROM recipient_list_errors WHERE list_id IN @listIds", new { listIds }, tx);
        await connection.ExecuteAsync("UPDATE recipient_lists SET status = @status WHERE id IN @listIds", new { listIds, status }, tx);
    }

    private static async Task InsertRowsAsync(MySqlConnection connection, MySqlTransaction tx, long listId, List<EncryptedRow> rows, CancellationToken cancellationToken)
    {
        for (var start = 0; start < rows.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, rows.Count - start);
            await using var command = new MySqlCommand { Connection = connection, Transaction = tx };
            var sql = new StringBuilder("INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx, name_enc) VALUES ");
            command.Parameters.AddWithValue("@l", listId);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                var seq = start + i + 1;
                sql.Append(i == 0 ? "" : ",").Append($"(@l,{seq},{row.SourceRow},@p{i},@b{i},@n{i})");
                command.Parameters.AddWithValue($"@p{i}", row.Phone);
                command.Parameters.AddWithValue($"@b{i}", row.PhoneIndex);
                command.Parameters.AddWithValue($"@n{i}", row.Name);
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task InsertErrorsAsync(MySqlConnection connection, MySqlTransaction tx, long listId, List<RecipientRowError> errors, CancellationToken cancellationToken)
    {
        for (var start = 0; start < errors.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, errors.Count - start);
            await using var command = new MySqlCommand { Connection = connection, Transaction = tx };
            var sql = new StringBuilder("INSERT INTO recipient_list_errors (list_id, seq, source_row, column_name, code, input_masked) VALUES ");
            command.Parameters.AddWithValue("@l", listId);
            for (var i = 0; i < count; i++)
            {
                var error = errors[start + i];
                sql.Append(i == 0 ? "" : ",").Append($"(@l,{start + i + 1},{error.SourceRow},@c{i},@k{i},@v{i})");
                command.Parameters.AddWithValue($"@c{i}", error.Column);
                command.Parameters.AddWithValue($"@k{i}", error.Code.Code());
                command.Parameters.AddWithValue($"@v{i}", error.InputMasked);
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed record EncryptedRow(int SourceRow, byte[] Phone, byte[] PhoneIndex, byte[]? Name);
}

public static class RecipientListStatus
{
    public const string Staged = "STAGED";
    public const string Accepted = "ACCEPTED";
    public const string Replaced = "REPLACED";
    public const string Discarded = "DISCARDED";
}

public enum AcceptOutcome
{
    Accepted,
    CampaignNotFound,
    CampaignNotDraft,
    ListNotFound,
    ListNotStaged,
    NoValidRecipients,
}

public sealed record RecipientListHeader
{
    public long Id { get; init; }

    public long CampaignId { get; init; }

    public string Status { get; init; } = "";

    public string Source { get; init; } = "";

    public string? FileName { get; init; }

    public int TotalRows { get; init; }

    public int ValidCount { get; init; }

    public int ErrorCount { get; init; }

    public int DuplicateCount { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? AcceptedAt { get; init; }
}

public sealed record RecipientView(int Seq, int Row, string Phone, string? Name);

public sealed record RecipientErrorView(int Row, string Column, string Code, string Reason, string Input);
