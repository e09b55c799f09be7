namespace CouponDesk.Security;

/// <summary>
/// One named authorization policy per action of the permission matrix (spec §1.2, rows P1–P24). Every endpoint
/// declares one of these (or is on the short anonymous list); the server enforces them, hiding a button is only a
/// convenience. Two-person approval (the "A" marks) is a workflow on top, not a policy.
/// </summary>
public static class Policies
{
    public const string OwnAccount = "P1.OwnAccount";
    public const string ViewDashboard = "P2.ViewDashboard";
    public const string ViewCatalog = "P3.ViewCatalog";
    public const string SyncCatalog = "P4.SyncCatalog";
    public const string RegisterCampaign = "P5.RegisterCampaign";
    public const string ViewCampaigns = "P6.ViewCampaigns";
    public const string CancelCampaign = "P7.CancelCampaign";
    public const string ControlCampaign = "P8.ControlCampaign";
    public const string DiscardUnusedCoupons = "P9.DiscardUnusedCoupons";
    public const string CsSearch = "P10.CsSearch";
    public const string CsResend = "P11.CsResend";
    public const string CsChangeNumber = "P12.CsChangeNumber";
    public const string CsDiscardCoupon = "P13.CsDiscardCoupon";
    public const string CsMemoAndRefresh = "P14.CsMemoAndRefresh";
    public const string Approve = "P15.Approve";
    public const string RevealPhone = "P16.RevealPhone";
    public const string RevealCouponNumber = "P17.RevealCouponNumber";
    public const string DownloadMasked = "P18.DownloadMasked";
    public const string DownloadUploadErrors = "P19.DownloadUploadErrors";
    public const string DownloadUnmasked = "P20.DownloadUnmasked";
    public const string ManageUsers = "P21.ManageUsers";
    public const string ViewAudit = "P22.ViewAudit";
    public const string ViewInDoubtOrders = "P23.ViewInDoubtOrders";
    public const string SettleInDoubtOrders = "P23.SettleInDoubtOrders";
    public const string ManageSettings = "P24.ManageSettings";

    /// <summary>보존 연장 (legal hold) on a campaign, spec §7.5: ADMIN.</summary>
    public const string LegalHold = "P25.LegalHold";

    private static readonly string[] Everyone = [Roles.Admin, Roles.Operator, Roles.Viewer];
    private static readonly string[] Staff = [Roles.Admin, Roles.Operator];
    private static readonly string[] AdminOnly = [Roles.Admin];

    /// <summary>Which roles each policy admits: the permission matrix as data.</summary>
    public static IReadOnlyDictionary<string, string[]> Matrix { get; } = new Dictionary<string, string[]>
    {
        [OwnAccount] = Everyone,
        [ViewDashboard] = Everyone,
        [ViewCatalog] = Everyone,
        [SyncCatalog] = AdminOnly,
        [RegisterCampaign] = Staff,
        [ViewCampaigns] = Everyone,
        [CancelCampaign] = Staff,
        [ControlCampaign] = Staff,
        [DiscardUnusedCoupons] = AdminOnly,
        [CsSearch] = Staff,
        [CsResend] = Staff,
        [CsChangeNumber] = Staff,
        [CsDiscardCoupon] = Staff,
        [CsMemoAndRefresh] = Staff,
        [Approve] = Staff,
        [RevealPhone] = Staff,
        [RevealCouponNumber] = AdminOnly,
        [DownloadMasked] = Everyone,
        [DownloadUploadErrors] = Staff,
        [DownloadUnmasked] = AdminOnly,
        [ManageUsers] = AdminOnly,
        [ViewAudit] = AdminOnly,
        [ViewInDoubtOrders] = Staff,
        [SettleInDoubtOrders] = AdminOnly,
        [ManageSettings] = AdminOnly,
        [LegalHold] = AdminOnly,
    };
}
