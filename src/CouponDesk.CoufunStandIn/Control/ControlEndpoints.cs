using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Push;

namespace CouponDesk.CoufunStandIn.Control;

/// <summary>
/// The control API under <c>/_control/</c>, for tests, demos and reconciliation: faults, per-TR_ID counters, the
/// order ledger, store-side coupon events (which trigger the exchange push) and catalog switches. Coupon numbers
/// travel in request bodies, never in URLs. Test equipment: bind the stand-in to loopback.
/// </summary>
public static class ControlEndpoints
{
    public sealed record CouponRequest(string BarcodeNum, int? Amount, string? BranchName, string? BranchCode);

    public sealed record PushUrl(string Url);

    public sealed record SimulatorStepRequest(int Events);

    public sealed record ProductChange(bool? Listed, bool? Sellable, bool? ValidSaleId, int? Price, int? OriPrice, string? Name);

    public static void Map(WebApplication app)
    {
        var control = app.MapGroup("/_control");

        control.MapGet("/faults", (FaultInjector faults) => faults.Current);
        control.MapPut("/faults", (FaultSettings settings, FaultInjector faults) =>
        {
            var problems = settings.Validate().ToList();
            if (problems.Count > 0)
            {
                return Results.BadRequest(new { errors = problems });
            }

            faults.Replace(settings);
            return Results.Ok(settings);
        });
        control.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Replace(new FaultSettings());
            return Results.NoContent();
        });

        control.MapGet("/tr-ids/{trId}", async (string trId, StandInLedger ledger, CancellationToken ct) => await ledger.CountersAsync(trId, ct));
        control.MapGet("/orders", async (string? trId, bool? droppedOnly, int? limit, StandInLedger ledger, CancellationToken ct) =>
            await ledger.OrdersAsync(trId, droppedOnly ?? false, Math.Clamp(limit ?? 1000, 1, 100_000), ct));
        control.MapGet("/calls", (string? function, CallLog calls) => calls.Arrivals(function));
        control.MapDelete("/calls", (CallLog calls) =>
        {
            calls.Clear();
            return Results.NoContent();
        });
        control.MapGet("/totals", async (StandInLedger ledger, CancellationToken ct) =>
        {
            var (createCalls, orders, coupons, dropped) = await ledger.TotalsAsync(ct);
            return new { createCalls, orders, coupons, droppedResponses = dropped };
        });

        control.MapPost("/coupons/find", async (CouponRequest request, StandInLedger ledger, CancellationToken ct) =>
            await ledger.FindCouponAsync(request.BarcodeNum, ct) is { } coupon ? Results.Ok(coupon) : Results.NotFound());
        foreach (var (path, kind) in new[]
                 {
                     ("/coupons/use", CouponEventKind.Use), ("/coupons/cancel-use", CouponEventKind.CancelUse),
                     ("/coupons/cancel", CouponEventKind.SupplierCancel), ("/coupons/expire", CouponEventKind.Expire),
                 })
        {
            control.MapPost(path, async (CouponRequest request, CouponEvents events, CancellationToken ct) =>
            {
                var result = await events.ApplyAsync(request.BarcodeNum, kind, request.Amount, request.BranchName, request.BranchCode, ct);
                return result.Refusal is null
                    ? Results.Ok(new { coupon = result.Coupon, pushId = result.PushId })
                    : result.Coupon is null ? Results.NotFound(new { error = result.Refusal }) : Results.Conflict(new { error = result.Refusal });
            });
        }

        // The usage simulator (issue 17): its settings, and a number of events run now (deterministic for tests).
        control.MapGet("/simulator", (UsageSimulator simulator) => simulator.Current);
        control.MapPut("/simulator", (SimulatorSettings settings, UsageSimulator simulator) =>
        {
            var problems = settings.Validate().ToList();
            if (problems.Count > 0)
            {
                return Results.BadRequest(new { errors = problems });
            }

            simulator.Replace(settings);
            return Results.Ok(settings);
        });
        control.MapPost("/simulator/step", async (SimulatorStepRequest request, UsageSimulator simulator, CancellationToken ct) =>
            request.Events is < 1 or > 100_000
                ? Results.BadRequest(new { error = "events must be between 1 and 100000" })
                : Results.Ok(await simulator.StepAsync(request.Events, ct)));

        control.MapGet("/pushes", async (CouponEvents events, CancellationToken ct) => await events.PushesAsync(null, ct));
        control.MapPost("/pushes/find", async (CouponRequest request, CouponEvents events, CancellationToken ct) => await events.PushesAsync(request.BarcodeNum, ct));
        control.MapPost("/pushes/{id:long}/redeliver", async (long id, CouponEvents events, CancellationToken ct) =>
            await events.RedeliverAsync(id, ct) is { } copy ? Results.Ok(new { pushId = copy }) : Results.NotFound());
        control.MapPost("/pushes/deliver-now", async (PushDelivery delivery, CancellationToken ct) =>
        {
            await delivery.DeliverDueAsync(ct);
            return Results.NoContent();
        });

        // Where pushes go, changeable at run time (a test starts the stand-in before the back office it pushes to).
        control.MapPut("/push-url", (PushUrl body, StandInOptions options) =>
        {
            if (!Uri.TryCreate(body.Url, UriKind.Absolute, out _))
            {
                return Results.BadRequest(new { error = "url must be absolute" });
            }

            options.ExchangePushUrl = body.Url;
            return Results.NoContent();
        });

        control.MapGet("/products", (StandInCatalog catalog) => catalog.All);
        control.MapPut("/products/{goodsId}", (string goodsId, ProductChange change, StandInCatalog catalog) =>
        {
            if (catalog.Find(goodsId) is not { } product)
            {
                return Results.NotFound();
            }

            var updated = product with
            {
                Listed = change.Listed ?? product.Listed,
                Sellable = change.Sellable ?? product.Sellable,
                ValidSaleId = change.ValidSaleId ?? product.ValidSaleId,
                Price = change.Price ?? product.Price,
                OriPrice = change.OriPrice ?? product.OriPrice,
                Name = change.Name ?? product.Name,
            };
            catalog.Replace(updated);
            return Results.Ok(updated);
        });
        control.MapPost("/product-list/reset", async (StandInLedger ledger, CancellationToken ct) =>
        {
            await ledger.ResetProductListCallsAsync(ct);
            return Results.NoContent();
        });
    }
}
