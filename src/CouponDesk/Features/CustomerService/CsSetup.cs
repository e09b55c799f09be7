using CouponDesk.Features.Approvals;
using CouponDesk.Features.Privacy;
using CouponDesk.Hosting;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.CustomerService;

public static class CsSetup
{
    /// <summary>C/S memo texts: bound to their row (D-SEC-12; written right after the row's insert, in its transaction).</summary>
    public static readonly EncryptedColumn MemoColumn = new EncryptedColumn("cs_actions", "memo_enc", Bound: true).Validated();

    /// <summary>The phones of a 번호 변경 record: bound to its row, written right after its insert (D-SEC-12).</summary>
    public static readonly EncryptedColumn OldPhoneColumn = new EncryptedColumn("phone_changes", "old_phone_enc", Bound: true).Validated();

    public static readonly EncryptedColumn NewPhoneColumn = new EncryptedColumn("phone_changes", "new_phone_enc", Bound: true).Validated();

    /// <summary>C/S (spec §3.4): search, detail, reveals, actions; the replacement follow-up in worker processes.</summary>
    public static IServiceCollection AddCustomerService(this IServiceCollection services, IConfiguration configuration, AppRoles roles)
    {
        services.AddSettings<CsOptions>(configuration, CsOptions.Section);
        services.AddSingleton<CsRows>();
        services.AddSingleton<CsSearch>();
        services.AddSingleton<CsDetail>();
        services.AddSingleton<CsImages>();
        services.AddSingleton<CsReveal>();
        services.AddSingleton<PersonalDataAccess>();
        services.AddSingleton<CsJournal>();
        services.AddSingleton<CsActionFrame>();
        services.AddSingleton<CsSender>();
        services.AddSingleton<CsSupplier>();
        services.AddSingleton<CsReissue>();
        services.AddSingleton<CsResend>();
        services.AddSingleton<CsPhoneChange>();
        services.AddSingleton<CsDiscard>();
        services.AddSingleton<CsMemoAndRefresh>();
        services.AddSingleton<CsApprovals>();
        services.AddSingleton<IApprovalAction, CsResendApproval>();
        services.AddSingleton<IApprovalAction, CsPhoneChangeApproval>();
        services.AddSingleton<IApprovalAction, CsDiscardApproval>();
        services.AddSingleton(MemoColumn);
        services.AddSingleton(OldPhoneColumn);
        services.AddSingleton(NewPhoneColumn);
        services.AddPiiPurgeStep<CsMemoPurge>();
        services.AddPiiPurgeStep<ApprovalPiiPurge>();
        services.AddPiiPurgeStep<PhoneChangePurge>();
        services.AddEndpointModule<CsEndpoints>();
        services.AddEndpointModule<CsActionEndpoints>();
        if (roles.Worker)
        {
            services.AddHostedService<CsFollowUpWorker>();
        }

        return services;
    }
}
