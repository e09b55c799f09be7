using CouponDesk.Features.Products;
using CouponDesk.Shared.Time;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CouponDesk.Tests.Features.Products;

public sealed class CatalogSyncJobRegistrationTests
{
    [Fact]
    public async Task The_job_runs_at_0400_KST_with_retries_and_an_explicit_misfire_rule()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuartz(q => new CatalogSyncJobRegistration().Register(q));
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var triggers = await scheduler.GetTriggersOfJob(CatalogSyncJobRegistration.Key);

        Assert.Equal(["0 0 4 * * ?", "0 0 5 * * ?", "0 30 4 * * ?"], triggers.OfType<ICronTrigger>().Select(t => t.CronExpressionString!).Order());
        Assert.All(triggers.OfType<ICronTrigger>(), t =>
        {
            Assert.Equal(Kst.Zone.Id, t.TimeZone.Id);
            Assert.Equal((int)CronTriggerMisfireInstruction.FireAndProceed, (int)t.MisfireInstruction);
        });
    }
}
