using System.Diagnostics.Metrics;
using CouponDesk.Data;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.OrderSize;

/// <summary>How many coupons a create call buys now, and why (progress data: <c>orderSize</c>).</summary>
public sealed record OrderSizeState(int CouponsPerCall, string Mode, long CallsSinceLostAnswer, DateTime? LastLostAnswerAt, int HealthyAfterCalls)
{
    public const string Full = "FULL";

    /// <summary>Answers are being lost: one coupon per call, so a lost answer puts at most one coupon at risk.</summary>
    public const string Cautious = "CAUTIOUS";
}

/// <summary>
/// Adaptive order size (D-PIPE-30). A lost answer leaves its order in doubt and its recipients are served again, so every
/// coupon of that call may be bought twice (coufun-b2c-api.md §8.1.4–5). While the supplier answers, calls buy
/// <see cref="PipelineOptions.CouponsPerOrder"/> coupons; as soon as one of the last
/// <see cref="PipelineOptions.HealthyAfterCalls"/> create calls of the whole cluster lost its answer (in doubt: timeout,
/// reset, HTTP 5xx, unreadable body; or a transport failure), calls buy one coupon until that many calls in a row have
/// been answered again. Read from the shared call log (so every process follows one rule), cached briefly; a lost answer
/// seen by this process switches it at once. Published as metrics on the <c>CouponDesk.Pipeline</c> meter.
/// </summary>
public sealed class OrderSizeRule
{
    public const string MeterName = "CouponDesk.Pipeline";

    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);

    private readonly DbConnectionFactory connections;
    private readonly PipelineOptions options;
    private readonly TimeProvider time;
    private readonly Counter<long> lostAnswers;
    private readonly Counter<long> ordersSplit;
    private OrderSizeState current;
    private long readAtTicks;

    public OrderSizeRule(DbConnectionFactory connections, PipelineOptions options, TimeProvider time, IMeterFactory meters)
    {
        this.connections = connections;
        this.options = options;
        this.time = time;
        current = new OrderSizeState(options.CouponsPerOrder, OrderSizeState.Full, long.MaxValue, null, options.HealthyAfterCalls);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("coupondesk.issuance.coupons_per_call", () => current.CouponsPerCall, "{coupon}", "Coupons one COUFUN create call buys now (adaptive order size)");
        lostAnswers = meter.CreateCounter<long>("coupondesk.issuance.answers_lost", "{call}", "Create calls whose answer was lost (in doubt or transport failure)");
        ordersSplit = meter.CreateCounter<long>("coupondesk.issuance.orders_split", "{order}", "Planned orders cut down to the cautious size before their first call");
    }

    /// <summary>Coupons per create call now (the cached rule, at most <see cref="CacheFor"/> old).</summary>
    public async ValueTask<int> CouponsPerCallAsync(CancellationToken ct) => (await CurrentAsync(ct)).CouponsPerCall;

    public async ValueTask<OrderSizeState> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        var readAt = Interlocked.Read(ref readAtTicks);
        // One caller refreshes (it wins the exchange); the others go on with the cached state meanwhile.
        if (now - readAt < CacheFor.Ticks || Interlocked.CompareExchange(ref readAtTicks, now, readAt) != readAt)
        {
            return current;
        }

        await using var c = await connections.OpenAsync(ct);
        current = await ReadAsync(c, ct);
        return current;
    }

    /// <summary>The rule from the call log, fresh.</summary>
    public async Task<OrderSizeState> ReadAsync(MySqlConnection c, CancellationToken ct)
    {
        if (!options.AdaptiveOrderSize || options.CouponsPerOrder == 1)
        {
            return new OrderSizeState(options.CouponsPerOrder, OrderSizeState.Full, long.MaxValue, null, options.HealthyAfterCalls);
        }

        var last = await c.QuerySingleOrDefaultAsync<(long Id, DateTime At)?>(new CommandDefinition(
            "SELECT id, called_at FROM issuance_calls WHERE lost = 1 ORDER BY id DESC LIMIT 1", cancellationToken: ct));
        if (last is not { } lost)
        {
            return new OrderSizeState(options.CouponsPerOrder, OrderSizeState.Full, long.MaxValue, null, options.HealthyAfterCalls);
        }

        var since = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT 1 FROM issuance_calls WHERE id > @id LIMIT @n) x", new { id = lost.Id, n = options.HealthyAfterCalls }, cancellationToken: ct));
        return since >= options.HealthyAfterCalls
            ? new OrderSizeState(options.CouponsPerOrder, OrderSizeState.Full, since, lost.At, options.HealthyAfterCalls)
            : new OrderSizeState(1, OrderSizeState.Cautious, since, lost.At, options.HealthyAfterCalls);
    }

    /// <summary>This process just lost an answer (its outcome is committed): cautious at once, before the next refresh.</summary>
    public void NoteLostAnswer()
    {
        lostAnswers.Add(1);
        if (options.AdaptiveOrderSize && options.CouponsPerOrder > 1)
        {
            current = new OrderSizeState(1, OrderSizeState.Cautious, 0, time.GetUtcNow().UtcDateTime, options.HealthyAfterCalls);
            Interlocked.Exchange(ref readAtTicks, time.GetUtcNow().UtcTicks);
        }
    }

    public void NoteSplit() => ordersSplit.Add(1);
}
