using CouponDesk.Features.Approvals;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Pipeline.Resends;

public static class ResendsSetup
{
    /// <summary>
    /// What happens after messages reach the agent: automatic resends, 실패 건 재시도, result-timeout alerts, the campaign
    /// cancel (일괄취소 / 미발송분 취소) and the COUFUN cancel follow-up. Register after <c>AddPipeline</c> (the result handlers run in registration order).
    /// </summary>
    public static IServiceCollection AddPipelineAfterSend(this IServiceCollection services, IConfiguration configuration, AppRoles roles)
    {
        services.AddSettings<ResendOptions>(configuration, ResendOptions.Section);
        services.AddSettings<CouponCancelOptions>(configuration, CouponCancelOptions.Section);
        services.AddSingleton<IDeliveryResultHandler, AutoResendPlanner>();
        services.AddSingleton<IDeliveryResultHandler, ResultTimeoutAlerts>();
        services.AddSingleton<ResendImages>();
        services.AddSingleton<Resender>();
        services.AddSingleton<RetryFailed>();
        services.AddSingleton<CouponCancellations>();
        services.AddSingleton<CampaignCancel>();
        services.AddSingleton<CancelPreview>();
        services.AddEndpointModule<RetryFailedEndpoint>();
        services.AddEndpointModule<CampaignCancelEndpoints>();
        services.AddSingleton<DiscardUnused>();
        services.AddEndpointModule<DiscardUnusedEndpoint>();
        services.AddSingleton<CampaignApprovals>();
        services.AddSingleton<IApprovalAction, CampaignCancelApproval>();
        services.AddSingleton<IApprovalAction, DiscardUnusedApproval>();
        if (roles.Worker)
        {
            services.AddHostedService<ResendWorker>();
        }

        return services;
    }
}
