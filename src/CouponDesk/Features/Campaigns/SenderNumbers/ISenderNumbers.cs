using CouponDesk.Data;
using CouponDesk.Data.Leases;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Campaigns.SenderNumbers;

/// <summary>
/// Registered sender (callback) numbers (spec §3.11, snap-agent.md §10) as registration sees them: the SNAP side's
/// <c>sender_numbers</c> table with registration's default flag (<see cref="TableSenderNumbers"/>, D-PLAT-9).
/// </summary>
public interface ISenderNumbers
{
    Task<bool> IsRegisteredAsync(string number, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SenderNumber>> ListAsync(CancellationToken cancellationToken = default);

    Task<SenderNumberChange> AddAsync(string number, string description, bool isDefault, CancellationToken cancellationToken = default);

    Task<SenderNumberChange> RemoveAsync(long id, CancellationToken cancellationToken = default);

    Task<SenderNumberChange> MakeDefaultAsync(long id, CancellationToken cancellationToken = default);
}

public sealed record SenderNumber(long Id, string Number, string Description, bool IsDefault);

public enum SenderNumberChange
{
    Done,
    NotFound,
    Duplicate,
    InUse,
}

public sealed class TableSenderNumbers(DbConnectionFactory connections, TimeProvider time) : ISenderNumbers
{
    public async Task<bool> IsRegisteredAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sender_numbers WHERE number = @number AND active = 1", new { number }) > 0;
    }

    public async Task<IReadOnlyList<SenderNumber>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Number, string Description, bool IsDefault)>(
            "SELECT id, number, label, is_default FROM sender_numbers WHERE active = 1 ORDER BY is_default DESC, number");
        return rows.Select(r => new SenderNumber(r.Id, r.Number, r.Description, r.IsDefault)).ToList();
    }

    public Task<SenderNumberChange> AddAsync(string number, string description, bool isDefault, CancellationToken cancellationToken = default) =>
        DeadlockRetry.RunAsync(() => AddOnceAsync(number, description, isDefault, cancellationToken), "sender number");

    private async Task<SenderNumberChange> AddOnceAsync(string number, string description, bool isDefault, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // The first number becomes the default: a form always has one to pre-select (spec §9 #51). Two adds on two
        // cluster nodes must not both see "none yet": see NamedLeases.SerializeAsync.
        await NamedLeases.SerializeAsync(connection, tx, "sender-numbers", cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sender_numbers FOR UPDATE", transaction: tx);
        isDefault |= count == 0;
        if (isDefault)
        {
            await connection.ExecuteAsync("UPDATE sender_numbers SET is_default = 0, updated_at = @now WHERE is_default = 1", new { now }, tx);
        }

        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO sender_numbers (number, label, active, is_default, created_at, updated_at) VALUES (@number, @description, 1, @isDefault, @now, @now)",
                new { number, description, isDefault, now }, tx);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return SenderNumberChange.Duplicate;
        }

        await tx.CommitAsync(cancellationToken);
        return SenderNumberChange.Done;
    }

    public Task<SenderNumberChange> RemoveAsync(long id, CancellationToken cancellationToken = default) =>
        DeadlockRetry.RunAsync(() => RemoveOnceAsync(id, cancellationToken), "sender number");

    private async Task<SenderNumberChange> RemoveOnceAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var number = await connection.ExecuteScalarAsync<string?>("SELECT number FROM sender_numbers WHERE id = @id FOR UPDATE", new { id }, tx);
        if (number is null)
        {
            return SenderNumberChange.NotFound;
        }

        // Spec §3.11: a number in use by a scheduled (or running) campaign cannot be removed.
        var inUse = await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM campaigns WHERE sender_number = @number AND deleted_at IS NULL AND status IN ('{CampaignStatus.Scheduled}','{CampaignStatus.Issuing}','{CampaignStatus.Sending}','{CampaignStatus.Paused}','{CampaignStatus.Error}')",
            new { number }, tx);
        if (inUse > 0)
        {
            return SenderNumberChange.InUse;
        }

        await connection.ExecuteAsync("DELETE FROM sender_numbers WHERE id = @id", new { id }, tx);
        await tx.CommitAsync(cancellationToken);
        return SenderNumberChange.Done;
    }

    public Task<SenderNumberChange> MakeDefaultAsync(long id, CancellationToken cancellationToken = default) =>
        DeadlockRetry.RunAsync(() => MakeDefaultOnceAsync(id, cancellationToken), "sender number");

    private async Task<SenderNumberChange> MakeDefaultOnceAsync(long id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>("SELECT id FROM sender_numbers WHERE id = @id FOR UPDATE", new { id }, tx) is null)
        {
            return SenderNumberChange.NotFound;
        }

        await connection.ExecuteAsync("UPDATE sender_numbers SET is_default = (id = @id), updated_at = @now", new { id, now }, tx);
        await tx.CommitAsync(cancellationToken);
        return SenderNumberChange.Done;
    }
}
