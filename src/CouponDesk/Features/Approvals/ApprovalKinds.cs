using CouponDesk.Security;

namespace CouponDesk.Features.Approvals;

/// <summary>The actions two-person approval covers (spec §1.3), as stored in <c>approval_requests.kind</c>.</summary>
public static class ApprovalKinds
{
    /// <summary>발송 취소 (P7): 일괄취소 or 미발송분 취소 of a campaign; <c>target_id</c> is the campaign.</summary>
    public const string CampaignCancel = "CAMPAIGN_CANCEL";

    /// <summary>재발송 (P11); <c>target_id</c> is the delivery item.</summary>
    public const string CsResend = "CS_RESEND";

    /// <summary>번호변경 (P12); <c>target_id</c> is the delivery item.</summary>
    public const string CsChangeNumber = "CS_CHANGE_NUMBER";

    /// <summary>쿠폰폐기 (P13); <c>target_id</c> is the delivery item.</summary>
    public const string CsDiscard = "CS_DISCARD";

    /// <summary>미사용 쿠폰 일괄 폐기 (P9, ADMIN); <c>target_id</c> is the campaign.</summary>
    public const string BulkDiscard = "BULK_DISCARD";

    public static readonly string[] All = [CampaignCancel, CsResend, CsChangeNumber, CsDiscard, BulkDiscard];

    public static bool IsCs(string kind) => kind is CsResend or CsChangeNumber or CsDiscard;

    public static string Label(string kind) => kind switch
    {
        CampaignCancel => "발송 취소",
        CsResend => "재발송",
        CsChangeNumber => "번호변경",
        CsDiscard => "쿠폰폐기",
        BulkDiscard => "미사용 쿠폰 일괄 폐기",
        _ => kind,
    };

    /// <summary>Who may approve (spec §1.3 item 3): any ADMIN or OPERATOR but the requester; a bulk discard needs a second ADMIN.</summary>
    public static bool MayApprove(string kind, string approverRole) =>
        kind == BulkDiscard ? approverRole == Roles.Admin : approverRole is Roles.Admin or Roles.Operator;
}
