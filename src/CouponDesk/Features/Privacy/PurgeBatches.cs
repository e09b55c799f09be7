using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Privacy;

/// <summary>
/// The batch loop most purge steps share: select up to <see cref="Size"/> row ids that are due, run the destroying
/// UPDATE/DELETE on them (it names <c>@ids</c> and re-checks that the value is still there), count what it changed, and
/// go on until a batch comes back short. Each statement commits on its own, so a failure keeps what was done.
/// </summary>
public static class PurgeBatches
{
    public const int Size = 1000;

    public static async Task ByIdAsync(DbConnectionFactory connections, string selectIds, string destroy, object args, PiiPurgeContext context, CancellationToken cancellationToken)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        while (true)
        {
            var ids = (await c.QueryAsync<long>(new CommandDefinition($"{selectIds} LIMIT {Size}", args, cancellationToken: cancellationToken))).ToArray();
            if (ids.Length > 0)
            {
                var parameters = new DynamicParameters(args);
                parameters.Add("ids", ids);
                context.Count(await c.ExecuteAsync(new CommandDefinition(destroy, parameters, cancellationToken: cancellationToken)));
            }

            if (ids.Length < Size)
            {
                return;
            }
        }
    }
}
