using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Failures;
using CouponDesk.Features.Pipeline.Leases;
using CouponDesk.Features.Pipeline.OrderSize;
using CouponDesk.Features.Pipeline.Scheduling;
using CouponDesk.Hosting;
using CouponDesk.Hosting.Liveness;
using CouponDesk.Shared.Hosting;
using CouponDesk.Web.Metrics;

namespace CouponDesk.Features.Pipeline;

public static class PipelineSetup
{
    /// <summary>The pipeline's services; its worker loops only in processes with the <c>worker</c> role.</summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration, AppRoles roles)
    {
        services.AddSettings<PipelineOptions>(configuration, PipelineOptions.Section);
        services.AddPipelineScheduling();
        services.AddSingleton<CampaignLifecycle>();
        services.AddSingleton<IssuancePlanner>();
        services.AddSingleton<IssuanceFailureRules>();
        services.AddSingleton<OrderSizeRule>();
        services.AddSingleton<OrderExecutor>();
        services.AddSingleton<QueueTail>();
        services.AddSingleton<RenderAndQueue>();
        services.AddSingleton<PipelineProgress>();
        services.AddSingleton<PipelineControl>();
        services.AddSingleton<IPipelineBacklog, PipelineBacklog>();
        services.AddSingleton<ILeaseRelease, DeadOwnerLeases>();
        services.AddSingleton<IDeliveryResultHandler, PipelineResultHandler>();
        services.AddEndpointModule<PipelineEndpoints>();
        if (roles.Worker)
        {
            services.AddHostedService<PipelineWorker>();
        }

        return services;
    }
}
