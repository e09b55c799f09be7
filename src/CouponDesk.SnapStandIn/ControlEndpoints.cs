using Dapper;

namespace CouponDesk.SnapStandIn;

/// <summary>
/// The stand-in's control surface for tests, demos and benchmarks (loopback/dev only; no phone numbers in URLs):
/// <c>POST /_control/pause|resume</c>, <c>GET /_control/status</c> (counters), <c>GET /_control/ledger</c> (every
/// CLIENT_KEY handed to the "gateway" with its delivery count), <c>POST /_control/ledger/query</c>
/// (<c>{"clientKeys":[…]}</c>).
/// </summary>
public static class ControlEndpoints
{
    public static void MapControl(this WebApplication app)
    {
        var control = app.MapGroup("/_control");
        control.MapPost("/pause", (AgentState state) =>
        {
            state.Paused = true;
            return Results.Ok(state.Snapshot());
        });
        control.MapPost("/resume", (AgentState state) =>
        {
            state.Paused = false;
            return Results.Ok(state.Snapshot());
        });
        control.MapGet("/status", (AgentState state) => Results.Ok(state.Snapshot()));
        control.MapGet("/ledger", async (AgentTables tables, CancellationToken ct) =>
        {
            await using var connection = await tables.OpenAsync(ct);
            var rows = await connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                $"SELECT client_key AS ClientKey, deliver_count AS Count FROM {AgentTables.Ledger} ORDER BY client_key", cancellationToken: ct));
            return Results.Ok(rows);
        });
        control.MapPost("/ledger/query", async (LedgerQuery query, AgentTables tables, CancellationToken ct) =>
        {
            var keys = query.ClientKeys?.Where(k => k.Length is > 0 and <= 40).Distinct().Take(10_000).ToArray() ?? [];
            if (keys.Length == 0)
            {
                return Results.Ok(Array.Empty<LedgerEntry>());
            }

            await using var connection = await tables.OpenAsync(ct);
            var rows = await connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                $"SELECT client_key AS ClientKey, deliver_count AS Count FROM {AgentTables.Ledger} WHERE client_key IN @keys",
                new { keys }, cancellationToken: ct));
            return Results.Ok(rows);
        });
    }

    public sealed record LedgerEntry(string ClientKey, int Count);

    public sealed record LedgerQuery(string[]? ClientKeys);
}
