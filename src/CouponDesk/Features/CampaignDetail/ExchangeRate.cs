using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.CampaignDetail;

/// <summary>One KST day of a campaign's 교환률: coupons first used that day, and used so far ÷ delivered in percent.</summary>
public sealed record ExchangeRatePoint(string Day, int FirstUsed, int UsedSoFar, double Rate);

/// <summary>
/// 교환률 (issue 17 point 9): used ÷ delivered now (USED or PARTIALLY_USED coupons of items ever delivered), and over time
/// from the coupons' status history (the day each coupon was first seen used, KST).
/// </summary>
public sealed record ExchangeRateView(int Delivered, int Used, double? Rate, IReadOnlyList<ExchangeRatePoint> Days);

/// <summary><c>GET /api/campaigns/{id}/exchange-rate</c> (every role: aggregates only, no personal data).</summary>
public sealed class ExchangeRateEndpoint(DbConnectionFactory connections, ExchangeRateCache cache) : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/campaigns/{id:long}/exchange-rate", async (long id, CancellationToken ct) =>
            await ReadAsync(id, ct) is { } view ? Results.Ok(view) : ApiProblem.NotFound().ToResult())
            .WithTags("Campaigns").RequireAuthorization(Policies.ViewCampaigns);

    public async Task<ExchangeRateView?> ReadAsync(long id, CancellationToken ct)
    {
        await using (var c = await connections.OpenAsync(ct))
        {
            if (await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM campaigns WHERE id = @id AND deleted_at IS NULL", new { id }, cancellationToken: ct)) == 0)
            {
                return null;
            }
        }

        return await cache.ReadAsync(id, ct);
    }

    /// <summary>
    /// The campaign's 교환률 on <paramref name="c"/>, read now: only its own items (by <c>campaign_id</c>) and their history
    /// (D-PERF-1). Readers go through <see cref="ExchangeRateCache"/>.
    /// </summary>
    public static async Task<ExchangeRateView> QueryAsync(MySqlConnection c, long id, CancellationToken ct)
    {
        var used = CouponStatus.Machine.InSql(CouponStatus.Used, CouponStatus.PartiallyUsed);
        var (delivered, usedNow) = await c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            $"""
            SELECT COUNT(*), CAST(COALESCE(SUM(k.status IN {used}), 0) AS SIGNED)
            FROM delivery_items d LEFT JOIN coupons k ON k.id = d.coupon_id
            WHERE d.campaign_id = @id AND d.ever_delivered = 1
            """, new { id }, cancellationToken: ct));
        // From the campaign's items to their history (STRAIGHT_JOIN): the optimizer otherwise starts from every "used" row
        // of every campaign's history and scans it (D-PERF-1).
        var days = await c.QueryAsync<(DateTime Day, long Count)>(new CommandDefinition(
            $"""
            SELECT DATE(DATE_ADD(x.first_at, INTERVAL 9 HOUR)) AS day, COUNT(*) FROM (
              SELECT h.coupon_id, MIN(h.occurred_at) AS first_at
              FROM delivery_items d STRAIGHT_JOIN coupon_status_history h ON h.coupon_id = d.coupon_id
              WHERE d.campaign_id = @id AND d.ever_delivered = 1 AND h.new_status IN {used} GROUP BY h.coupon_id) x
            GROUP BY day ORDER BY day
            """, new { id }, cancellationToken: ct));
        var points = new List<ExchangeRatePoint>();
        var soFar = 0;
        foreach (var (day, count) in days)
        {
            soFar += (int)count;
            points.Add(new ExchangeRatePoint(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (int)count, soFar, Percent(soFar, delivered)));
        }

        return new ExchangeRateView((int)delivered, (int)usedNow, delivered == 0 ? null : Percent(usedNow, delivered), points);
    }

    private static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 1);
}
