namespace CouponDesk.Features.Pipeline.Cancels;

/// <summary>States of a <c>coupon_cancels</c> row (one coupon we must cancel at COUFUN).</summary>
public static class CouponCancelState
{
    public const string Pending = "PENDING";
    public const string Retry = "RETRY";
    public const string Done = "DONE";
    public const string Refused = "REFUSED";
    public const string GaveUp = "GAVE_UP";
}

/// <summary>Why a coupon is being cancelled.</summary>
public static class CouponCancelSource
{
    public const string CampaignCancel = "CAMPAIGN_CANCEL";
    public const string PartialCancel = "PARTIAL_CANCEL";
    public const string CustomerService = "CS";
    public const string BulkDiscard = "BULK_DISCARD";
}
