using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.OrderSize;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// Adaptive order size (issue 23, D-PIPE-30): one coupon per create call while answers are being lost, full orders again
/// once the supplier has answered <c>HealthyAfterCalls</c> calls in a row — driven by the COUFUN stand-in's faults,
/// visible in the progress data and the metrics.
/// </summary>
public sealed class OrderSizeTests
{
    [Fact]
    public async Task After_a_lost_answer_calls_buy_one_coupon_until_the_supplier_answers_again()
    {
        const int recipients = 100;
        await using var h = await PipelineHarness.StartAsync(extra:
        [
            new("Pipeline:CouponsPerOrder", "10"),
            new("Pipeline:HealthyAfterCalls", "12"),
            new("Pipeline:IssueConcurrency", "1"),
            new("Pipeline:SpendingMarginPercent", "100"),
        ]);
        using var metrics = new PipelineMetrics(h.BackOffice.Services.GetRequiredService<IMeterFactory>());
        // The first create call buys its 10 coupons and its answer is lost; every later call is answered.
        await h.Coufun.SetFaultsAsync(new { endpoints = new[] { "create" }, latencyMinMs = 100, latencyMaxMs = 100, dropAfterCreateRate = 1.0, remaining = 1 });
        var id = await h.ScheduleCampaignAsync(recipients);
        var progress = h.BackOffice.Services.GetRequiredService<PipelineProgress>();
        var modes = new HashSet<string>();
        for (var i = 0; i < 1800 && await h.StatusAsync(id) is not ("COMPLETED" or "ERROR" or "PARTIALLY_FAILED"); i++)
        {
            modes.Add((await progress.GetAsync(id, CancellationToken.None))!.OrderSize.Mode);
            metrics.Observe();
            await Task.Delay(100);
        }

        Assert.Equal("COMPLETED", await h.StatusAsync(id));
        await using var c = await h.Database.OpenAsync();
        var orders = (await c.QueryAsync<(int Count, string Status)>(
            "SELECT create_cnt, status FROM issuance_orders WHERE campaign_id = @id AND status <> 'FAILED' ORDER BY requested_at, id", new { id })).ToList();
        // The lost answer came on a full order: that one stays in doubt with its 10 coupons (unavoidable: it was healthy).
        Assert.Equal((10, "IN_DOUBT"), orders[0]);
        var after = orders.Skip(1).ToList();
        // Then one coupon per call, at least HealthyAfterCalls of them, then full orders again.
        var singles = after.TakeWhile(o => o.Count == 1).Count();
        Assert.True(singles >= 12, $"{singles} single-coupon calls after the lost answer");
        Assert.Contains(after.Skip(singles), o => o is { Count: 10, Status: "SUCCEEDED" });
        Assert.All(after, o => Assert.Equal("SUCCEEDED", o.Status));

        var w = await PipelineWitness.ReadAsync(h.Database, h.Coufun, id);
        Assert.Equal(recipients + 10, w.CouponsBoughtAtCoufun); // only the in-doubt order's coupons are surplus
        Assert.Equal(recipients, w.CouponsBoughtForSucceededOrders);
        Assert.Equal(0, w.RecipientsDeliveredTwice);

        Assert.Contains(OrderSizeState.Cautious, modes);
        Assert.Equal(OrderSizeState.Full, (await progress.GetAsync(id, CancellationToken.None))!.OrderSize.Mode);
        Assert.True(metrics.AnswersLost >= 1);
        Assert.True(metrics.OrdersSplit >= 1);
        Assert.Contains(1, metrics.CouponsPerCall);
        Assert.Contains(10, metrics.CouponsPerCall);
    }

    [Fact]
    public async Task The_rule_follows_the_shared_call_log()
    {
        await using var h = await PipelineHarness.StartAsync("web", [new("Pipeline:HealthyAfterCalls", "5")]);
        var rule = h.BackOffice.Services.GetRequiredService<OrderSizeRule>();
        await using var c = await h.Database.OpenAsync();

        Assert.Equal((10, OrderSizeState.Full), Size(await rule.ReadAsync(c, CancellationToken.None)));
        await LogCallAsync(c, lost: true);
        Assert.Equal((1, OrderSizeState.Cautious), Size(await rule.ReadAsync(c, CancellationToken.None)));
        for (var i = 0; i < 4; i++)
        {
            await LogCallAsync(c, lost: false);
        }

        var state = await rule.ReadAsync(c, CancellationToken.None);
        Assert.Equal((1, OrderSizeState.Cautious), Size(state));
        Assert.Equal(4, state.CallsSinceLostAnswer);
        await LogCallAsync(c, lost: false);
        Assert.Equal((10, OrderSizeState.Full), Size(await rule.ReadAsync(c, CancellationToken.None)));
    }

    private static (int, string) Size(OrderSizeState s) => (s.CouponsPerCall, s.Mode);

    private static Task<int> LogCallAsync(MySqlConnector.MySqlConnection c, bool lost) =>
        c.ExecuteAsync("INSERT INTO issuance_calls (campaign_id, order_id, failed, lost, called_at) VALUES (1, 1, @lost, @lost, UTC_TIMESTAMP(6))", new { lost });

    /// <summary>The pipeline's instruments of one host (its meter factory), as an exporter would see them.</summary>
    private sealed class PipelineMetrics : IDisposable
    {
        private readonly MeterListener listener = new();
        private long answersLost;
        private long ordersSplit;

        public PipelineMetrics(IMeterFactory factory)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OrderSizeRule.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == "coupondesk.issuance.answers_lost")
                {
                    Interlocked.Add(ref answersLost, value);
                }
                else if (instrument.Name == "coupondesk.issuance.orders_split")
                {
                    Interlocked.Add(ref ordersSplit, value);
                }
            });
            listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => CouponsPerCall.Add(value));
            listener.Start();
        }

        public ConcurrentBag<int> CouponsPerCall { get; } = [];

        public long AnswersLost => Interlocked.Read(ref answersLost);

        public long OrdersSplit => Interlocked.Read(ref ordersSplit);

        public void Observe() => listener.RecordObservableInstruments();

        public void Dispose() => listener.Dispose();
    }
}
