using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CouponDesk.CoufunStandIn.Ledger;
using Dapper;

namespace CouponDesk.CoufunStandIn.Push;

/// <summary>What a batch of simulated events did.</summary>
public sealed record SimulatorStep(int Used, int PartlyUsed, int UseCancelled, int SupplierCancelled, int Silent, int Skipped);

/// <summary>
/// Lives the issued coupons' lives on the supplier's side (issue 17 point 8): each event picks a coupon of the ledger and
/// uses it, uses part of an AMOUNT coupon, cancels a use, or cancels it at the supplier — through <see cref="CouponEvents"/>,
/// so the ledger changes exactly as the control API would change it — and for the coupons in
/// <see cref="SimulatorSettings.SilentShare"/> the push is lost. The random source is seeded: the same seed and ledger give
/// the same events. Runs in the background while enabled; tests call <see cref="StepAsync"/>.
/// </summary>
public sealed class UsageSimulator(StandInDb db, StandInLedger ledger, CouponEvents events, StandInOptions options, ILogger<UsageSimulator> logger) : BackgroundService
{
    private readonly Lock gate = new();
    private SimulatorSettings? replaced;
    private Random? seeded;
    private double owed;

    public SimulatorSettings Current
    {
        get
        {
            lock (gate)
            {
                return Settings;
            }
        }
    }

    /// <summary>The settings in effect (the configured ones until the control API replaces them); call under <see cref="gate"/>.</summary>
    private SimulatorSettings Settings => replaced ?? options.Simulator;

    private Random Rng => seeded ??= new Random(Settings.Seed);

    /// <summary>New settings; the random source restarts from the seed.</summary>
    public void Replace(SimulatorSettings next)
    {
        lock (gate)
        {
            replaced = next;
            seeded = new Random(next.Seed);
            owed = 0;
        }
    }

    /// <summary>True when the coupon's pushes are lost under the current settings (stable per seed and coupon).</summary>
    public bool IsSilent(string barcodeNum)
    {
        var s = Current;
        if (s.SilentShare <= 0)
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{s.Seed}:{barcodeNum}")));
        return BitConverter.ToUInt64(hash, 0) / (double)ulong.MaxValue < s.SilentShare;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            int due;
            lock (gate)
            {
                if (!Settings.Enabled)
                {
                    continue;
                }

                owed += Settings.EventsPerMinute / 60;
                due = (int)owed;
                owed -= due;
            }

            try
            {
                if (due > 0)
                {
                    await StepAsync(due, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Usage simulator round failed; trying again next round");
            }
        }
    }

    /// <summary>Runs <paramref name="count"/> events now (whether or not the background loop is enabled).</summary>
    public async Task<SimulatorStep> StepAsync(int count, CancellationToken ct)
    {
        int used = 0, partly = 0, useCancelled = 0, supplierCancelled = 0, silent = 0, skipped = 0;
        for (var i = 0; i < count; i++)
        {
            var pick = await PickAsync(ct);
            if (pick is null)
            {
                skipped++;
                continue;
            }

            var (coupon, kind, amount) = pick.Value;
            var quiet = IsSilent(coupon.BarcodeNum);
            var result = await events.ApplyAsync(coupon.BarcodeNum, kind, amount, null, null, quiet, ct);
            if (result.Refusal is not null)
            {
                skipped++;
                continue;
            }

            silent += quiet ? 1 : 0;
            switch (kind)
            {
                case CouponEventKind.Use when coupon.CouponType == "AMOUNT" && amount < coupon.RemainAmount:
                    partly++;
                    break;
                case CouponEventKind.Use:
                    used++;
                    break;
                case CouponEventKind.CancelUse:
                    useCancelled++;
                    break;
                default:
                    supplierCancelled++;
                    break;
            }
        }

        return new SimulatorStep(used, partly, useCancelled, supplierCancelled, silent, skipped);
    }

    /// <summary>A live coupon (not cancelled, not past its validity) and the drawn event, or null when the event does not fit its state.</summary>
    private async Task<(LedgerCoupon Coupon, CouponEventKind Kind, int? Amount)?> PickAsync(CancellationToken ct)
    {
        var today = ledger.TodayKst.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await using var c = await db.OpenAsync(ct);
        var live = await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM coupons WHERE poc_id = @poc AND status <> '100' AND valid_end_date >= @today", new { poc = options.PocId, today }, cancellationToken: ct));
        if (live == 0)
        {
            return null;
        }

        int offset;
        double draw;
        int split;
        SimulatorSettings s;
        lock (gate)
        {
            s = Settings;
            offset = Rng.Next(live);
            draw = Rng.NextDouble();
            split = Rng.Next(1, 1000);
        }

        var coupon = await c.QuerySingleAsync<LedgerCoupon>(new CommandDefinition(
            StandInLedger.CouponColumns + " WHERE poc_id = @poc AND status <> '100' AND valid_end_date >= @today ORDER BY barcode_num LIMIT 1 OFFSET @offset",
            new { poc = options.PocId, today, offset }, cancellationToken: ct));
        var isAmount = coupon.CouponType == "AMOUNT";
        var untouched = coupon.Status == "000" && (!isAmount || coupon.RemainAmount == coupon.TotalAmount);
        var usable = coupon.Status == "000" && (!isAmount || coupon.RemainAmount > 0);
        var hasUse = isAmount ? coupon.RemainAmount < coupon.TotalAmount : coupon.Status == "001";

        var total = s.UseWeight + s.PartialUseWeight + s.CancelUseWeight + s.SupplierCancelWeight;
        var x = draw * total;
        var wanted = x < s.UseWeight ? 0 : x < s.UseWeight + s.PartialUseWeight ? 1 : x < s.UseWeight + s.PartialUseWeight + s.CancelUseWeight ? 2 : 3;
        // A kind that does not fit the coupon's state is skipped (counted), so the mix follows the weights.
        return wanted switch
        {
            0 when usable => (coupon, CouponEventKind.Use, isAmount ? coupon.RemainAmount : null),
            1 when isAmount && usable && coupon.RemainAmount >= 2 => (coupon, CouponEventKind.Use, Math.Max(1, coupon.RemainAmount * split / 1000)),
            1 when usable => (coupon, CouponEventKind.Use, isAmount ? coupon.RemainAmount : null),
            2 when hasUse => (coupon, CouponEventKind.CancelUse, null),
            3 when untouched => (coupon, CouponEventKind.SupplierCancel, null),
            _ => null,
        };
    }
}
