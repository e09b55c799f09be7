using CouponDesk.Hosting;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Approvals;

public static class ApprovalsSetup
{
    /// <summary>
    /// Two-person approval (spec §1.3, §3.9): the switches, the workflow, 승인 요청 and the expiry job. The covered actions
    /// register their <see cref="IApprovalAction"/> where they live (C/S, campaign cancel, bulk discard).
    /// </summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ApprovalOptions>(configuration, ApprovalOptions.Section);
        services.AddSingleton<ApprovalGate>();
        services.AddSingleton<ApprovalRequests>();
        services.AddSingleton<ApprovalList>();
        services.AddSingleton(ApprovalRequests.ParamsColumn);
        services.AddSingleton(ApprovalRequests.MemoColumn);
        services.AddEndpointModule<ApprovalEndpoints>();
        services.AddTransient<ApprovalExpiryJob>();
        services.AddSingleton<IJobRegistration>(new ApprovalExpiryJob.Registration());
        return services;
    }
}
