using CouponDesk.Features.Alerts;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline.Scheduling;

/// <summary>
/// The back office in the web role (no worker loops: tests step the planner and the starter themselves) with a
/// recording alert channel, the pipeline's sender number registered and helpers for history rows.
/// </summary>
public sealed class SchedulingFactory : CouponDeskFactory, IAsyncLifetime
{
    public RecordingAlerts Alerts { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IOperationsAlerts>(Alerts));
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var c = await Database.OpenAsync();
        await Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, PipelineCampaigns.Callback, "테스트", CancellationToken.None);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A SCHEDULED campaign of <paramref name="recipients"/> phones (the lead counts <paramref name="counted"/> when given).</summary>
    public async Task<long> ScheduleAsync(int recipients, DateTime sendAtUtc, DateTime? startAtUtc = null, int? counted = null)
    {
        var id = await PipelineCampaigns.ScheduleAsync(Database.Connections, Get<PiiProtector>(), recipients, sendAtUtc: sendAtUtc, startAtUtc: startAtUtc);
        if (counted is { } n)
        {
            await ExecuteAsync("UPDATE campaigns SET recipient_count = @n WHERE id = @id", new { n, id });
        }

        return id;
    }

    /// <summary>Replaces the run history with finished runs of the given end-to-end rates (newest last).</summary>
    public async Task SetHistoryAsync(params double[] queuedPerMinute)
    {
        await ExecuteAsync("DELETE FROM campaign_runs");
        var finished = DateTime.UtcNow.AddDays(-10);
        for (var i = 0; i < queuedPerMinute.Length; i++)
        {
            var at = finished.AddHours(i);
            await ExecuteAsync(
                """
                INSERT INTO campaign_runs (campaign_id, item_count, started_at, all_issued_at, all_queued_at, issued_per_minute, queued_per_minute, updated_at)
                VALUES (@id, 1000, @start, @at, @at, @rate, @rate, @at)
                """, new { id = 900_000 + i, start = at.AddMinutes(-10), at, rate = queuedPerMinute[i] });
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var c = await Database.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var c = await Database.OpenAsync();
        await c.ExecuteAsync(sql, parameters);
    }
}
