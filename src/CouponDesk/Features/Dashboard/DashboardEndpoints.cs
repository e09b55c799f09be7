using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Dashboard;

/// <summary><c>GET /api/dashboard?period=today|7d</c> (spec §3.8): every role (P2), aggregates only.</summary>
public sealed class DashboardEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard", async (string? period, DashboardSnapshots snapshots, CancellationToken ct) =>
        {
            period ??= DashboardPeriod.Today;
            if (!DashboardPeriod.IsKnown(period))
            {
                return ApiProblem.Validation("period", "기간은 today 또는 7d 중 하나입니다.").ToResult();
            }

            return Results.Ok(await snapshots.GetAsync(period, ct));
        })
            .WithTags("Dashboard")
            .RequireAuthorization(Policies.ViewDashboard);
    }
}
