using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Products;
using CouponDesk.Features.Rendering;
using CouponDesk.Hosting;
using CouponDesk.Tests.Features.Products;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CouponDesk.Tests.Alerts;

/// <summary>
/// Issue 17 point 7: the alerts of spec §5.9 that nothing sent before — catalog sync failure and catalog changes, worker
/// down / restarted, image generation failure rate and mean time, exchange-push errors, disk use — each raised against a
/// local webhook receiver, each without personal data, each once.
/// </summary>
public sealed class SystemAlertsTests(SystemAlertsTests.Factory factory) : IClassFixture<SystemAlertsTests.Factory>
{
    public sealed class Factory : ProductsFactory, IAsyncLifetime
    {
        public WebhookReceiver Receiver { get; } = WebhookReceiver.StartAsync().GetAwaiter().GetResult();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Append(new("Alerts:WebhookUrl", Receiver.Url));

        async Task IAsyncLifetime.DisposeAsync()
        {
            await DisposeAsync();
            await StandIn.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    private static string Kind(JsonElement alert) => alert.GetProperty("kind").GetString()!;

    private Task<IReadOnlyList<JsonElement>> AlertsOfAsync(string kind, int count = 1) =>
        factory.Receiver.WaitForAsync(a => a.Count(x => Kind(x) == kind) >= count, kind);

    [Fact]
    public async Task A_catalog_change_is_announced_and_a_scheduled_sync_failing_after_its_last_retry_alerts()
    {
        var sync = factory.Services.GetRequiredService<CatalogSync>();
        await sync.RunAsync(CatalogSync.Manual, "test", CancellationToken.None); // the first catalog: no change alert
        (await factory.StandIn.Client.PutAsJsonAsync("_control/products/0000000104", new { price = 5999 })).EnsureSuccessStatusCode();
        await sync.RunAsync(CatalogSync.Manual, "test", CancellationToken.None);

        var changed = Assert.Single(await AlertsOfAsync("catalog.changed"), a => Kind(a) == "catalog.changed");
        Assert.Contains("변경 1건", changed.GetProperty("text").GetString());

        // 04:30 KST tomorrow fails: a retry follows, no alert. 05:00 fails too: the last try, one alert.
        var clock = new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(-9).AddMinutes(4 * 60 + 30), TimeSpan.Zero));
        var scheduled = ActivatorUtilities.CreateInstance<CatalogSync>(factory.Services, (TimeProvider)clock);
        await factory.StandIn.SetFaultsAsync(new { forcedCodeRate = 1.0, forcedCode = "99", endpoints = new[] { "product" }, remaining = 2 });
        Assert.Equal("FAILED", (await scheduled.RunScheduledAsync(CancellationToken.None))!.Value!.Outcome);
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("FAILED", (await scheduled.RunScheduledAsync(CancellationToken.None))!.Value!.Outcome);

        var failed = Assert.Single(await AlertsOfAsync("catalog.sync_failed"), a => Kind(a) == "catalog.sync_failed");
        Assert.Contains("재시도 후에도 실패", failed.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_silent_process_and_a_process_replaced_after_a_crash_are_told_once_and_a_clean_stop_is_not()
    {
        _ = factory.Services;
        var now = DateTime.UtcNow;
        await InsertHeartbeatAsync("silent-one", "w-silent", now.AddMinutes(-10), fenceReason: null);
        await InsertHeartbeatAsync("fenced-silent", "w-fenced", now.AddMinutes(-8), fenceReason: "silent");
        await InsertHeartbeatAsync("crashed-one", "w-crashed", now.AddSeconds(-20), fenceReason: "successor");
        await InsertHeartbeatAsync("stopped-one", "w-stopped", now.AddMinutes(-10), fenceReason: "stopped");
        await InsertHeartbeatAsync("alive-one", "w-alive", now, fenceReason: null);
        await InsertHeartbeatAsync("last-month", "w-old", now.AddDays(-30), fenceReason: null);
        var check = factory.Services.GetRequiredService<WorkerHealthCheck>();

        Assert.Equal(3, await check.CheckAsync(CancellationToken.None));
        Assert.Equal(0, await check.CheckAsync(CancellationToken.None)); // told once

        var alerts = await factory.Receiver.WaitForAsync(a => a.Count(x => Kind(x).StartsWith("worker.", StringComparison.Ordinal)) >= 3, "three worker alerts");
        var down = alerts.Where(a => Kind(a) == "worker.down").Select(a => a.GetProperty("subject").GetString()).Order().ToList();
        Assert.Equal(["worker:w-fenced", "worker:w-silent"], down);
        var restarted = Assert.Single(alerts, a => Kind(a) == "worker.restarted");
        Assert.Equal("worker:w-crashed", restarted.GetProperty("subject").GetString());
        Assert.DoesNotContain(alerts, a => a.GetProperty("subject").GetString() is "worker:w-stopped" or "worker:w-alive" or "worker:w-old");
    }

    [Fact]
    public async Task Image_generation_alerts_when_more_than_5_percent_fail_or_the_mean_passes_3_seconds_and_not_on_few_renders()
    {
        var options = new AlertsOptions { ImageFailurePercent = 5, ImageMeanSeconds = 3, ImageWindowMinutes = 5, ImageMinSamples = 20 };
        var clock = new FakeTimeProvider();
        var alerts = factory.Services.GetRequiredService<IOperationsAlerts>();
        var health = new RenderHealth(options, alerts, clock);

        for (var i = 0; i < 5; i++)
        {
            health.Record(ok: false, 0.2); // five failures of five: too few renders to judge
        }

        Assert.Equal(5, (await health.CheckAsync(CancellationToken.None)).Failures);
        clock.Advance(TimeSpan.FromMinutes(6)); // out of the window
        for (var i = 0; i < 94; i++)
        {
            health.Record(ok: true, 0.05);
        }

        for (var i = 0; i < 5; i++)
        {
            health.Record(ok: false, 0.05);
        }

        Assert.Equal(5, (await health.CheckAsync(CancellationToken.None)).Failures); // 5 of 99 = 5.05 % > 5 %
        var failures = Assert.Single(await AlertsOfAsync("image.failures"), a => Kind(a) == "image.failures");
        Assert.Contains("5.1%", failures.GetProperty("text").GetString());

        var slow = new RenderHealth(options, alerts, clock);
        for (var i = 0; i < 20; i++)
        {
            slow.Record(ok: true, 3.5);
        }

        Assert.Equal(3.5, (await slow.CheckAsync(CancellationToken.None)).MeanSeconds, 3);
        Assert.Single(await AlertsOfAsync("image.slow"), a => Kind(a) == "image.slow");
    }

    [Fact]
    public async Task A_push_that_cannot_be_taken_alerts_with_its_code_and_without_the_coupon_number()
    {
        using var client = factory.CreateClient(); // the test server has no remote address: not on the allowlist
        const string number = "900000000123";
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes($"BARCODE_NUM={number}&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        (await client.PostAsync(ExchangePushEndpoint.Path, content)).EnsureSuccessStatusCode();

        var alert = Assert.Single(await AlertsOfAsync("coufun.push_error"), a => Kind(a) == "coufun.push_error");
        Assert.Equal("push:01", alert.GetProperty("subject").GetString());
        Assert.Contains("응답 01", alert.GetProperty("text").GetString());
        Assert.DoesNotContain(factory.Receiver.Bodies, b => b.Contains(number, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_on_a_file_system_fuller_than_the_limit_alerts_once_per_file_system()
    {
        var alerts = factory.Services.GetRequiredService<IOperationsAlerts>();
        var directory = Path.Combine(factory.ScratchDirectory, "watched", "not-yet-created");
        WatchedDirectory[] stores = [new("쿠폰 이미지", directory), new("상품 이미지", factory.ScratchDirectory)];

        // This machine's disk is not empty: 0 % is always passed; 100 % never is.
        Assert.Empty(await new StorageSpaceCheck(stores, new AlertsOptions { DiskUsePercent = 100 }, alerts).CheckAsync(CancellationToken.None));
        var over = Assert.Single(await new StorageSpaceCheck(stores, new AlertsOptions { DiskUsePercent = 1 }, alerts).CheckAsync(CancellationToken.None));

        Assert.Equal(["쿠폰 이미지", "상품 이미지"], over.Stores);
        var alert = Assert.Single(await AlertsOfAsync("disk.usage"), a => Kind(a) == "disk.usage");
        Assert.Equal($"disk:{over.Mount}", alert.GetProperty("subject").GetString());
        Assert.Contains("쿠폰 이미지, 상품 이미지", alert.GetProperty("text").GetString());
    }

    [Fact]
    public void The_checks_run_every_minute_as_a_jobs_role_registration() =>
        Assert.Single(factory.Services.GetServices<IJobRegistration>().OfType<SystemChecksJob.Registration>());

    private async Task InsertHeartbeatAsync(string id, string name, DateTime beatAt, string? fenceReason)
    {
        await using var c = await factory.Database.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO worker_heartbeats (instance_id, instance_name, host_name, process_id, roles, started_at, beat_at, fenced_at, fence_reason)
            VALUES (@id, @name, 'test-host', 1, 'worker', @beatAt, @beatAt, @fencedAt, @fenceReason)
            """,
            new { id, name, beatAt, fencedAt = fenceReason is null ? (DateTime?)null : beatAt.AddSeconds(30), fenceReason });
    }
}
