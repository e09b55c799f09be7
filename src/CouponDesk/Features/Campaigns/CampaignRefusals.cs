using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns;

/// <summary>The refusals of campaign registration, written once (codes are stable; the page switches on them).</summary>
public static class CampaignRefusals
{
    public static readonly Refusal NotFound = Refusal.NotFound("발송 건을 찾을 수 없습니다.");

    public static readonly Refusal NotDraft = Refusal.Conflict("campaign_not_draft", "임시저장 상태의 발송 건만 수정할 수 있습니다. 예약된 발송 건은 예약 해제 후 수정하세요.");

    public static readonly Refusal Changed = Refusal.Conflict("campaign_changed", "다른 사용자가 먼저 수정했습니다. 화면을 새로 고친 뒤 다시 시도하세요.");

    public static readonly Refusal AlreadyStarted = Refusal.Conflict("campaign_already_started", "발송 준비가 이미 시작되어 예약을 해제할 수 없습니다.");

    public static readonly Refusal NotCancellable = Refusal.Conflict("campaign_not_cancellable", "예약 상태의 발송 건만 일괄취소할 수 있습니다.");
}
