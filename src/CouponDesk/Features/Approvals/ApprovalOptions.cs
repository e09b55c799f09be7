namespace CouponDesk.Features.Approvals;

/// <summary>
/// The two-person approval switches of spec §1.3 (section <c>Approvals</c>), changed on 설정 (ADMIN) and read by every
/// action they cover (<see cref="ApprovalGate"/>). Lives with the workflow, not with 설정, so the features it covers
/// (campaigns, C/S, pipeline) can read it without depending on 설정 (D-APR-1).
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

    /// <summary>A request not decided within this many hours expires (spec §1.3 item 5: 24 hours, configurable).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 168)]
    public int ExpiryHours { get; set; } = 24;

    public bool AnyOn => CampaignCancel || Resend || PhoneChange || CouponDiscard || BulkDiscard;

    /// <summary>Whether the switch covering <paramref name="kind"/> (an <see cref="ApprovalKinds"/> value) is on now.</summary>
    public bool IsOn(string kind) => kind switch
    {
        ApprovalKinds.CampaignCancel => CampaignCancel,
        ApprovalKinds.CsResend => Resend,
        ApprovalKinds.CsChangeNumber => PhoneChange,
        ApprovalKinds.CsDiscard => CouponDiscard,
        ApprovalKinds.BulkDiscard => BulkDiscard,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown approval kind"),
    };
}
