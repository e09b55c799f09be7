namespace CouponDesk.Features.Settings;

/// <summary>
/// The two-person approval switches of spec §1.3 (section <c>Approvals</c>). Stored and audited by 설정 already; the
/// approval workflow that reads them is not built yet, so the 설정 page does not show them (D-SET-4).
/// </summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approvals";

    /// <summary>발송 취소 승인 (P7).</summary>
    public bool CampaignCancel { get; set; }

    /// <summary>재발송 승인 (P11).</summary>
    public bool Resend { get; set; }

    /// <summary>번호변경 승인 (P12).</summary>
    public bool PhoneChange { get; set; }

    /// <summary>쿠폰폐기 승인 (P13).</summary>
    public bool CouponDiscard { get; set; }

    /// <summary>일괄 폐기 승인 (P9), on by default.</summary>
    public bool BulkDiscard { get; set; } = true;

    public bool AnyOn => CampaignCancel || Resend || PhoneChange || CouponDiscard || BulkDiscard;
}
