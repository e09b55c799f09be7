namespace CouponDesk.Features.Campaigns;

/// <summary>
/// A campaign's 유효기간 as the 발송조회 list shows and sorts it (spec §3.3.2): the generated column
/// <c>campaigns.validity_end</c> (<see cref="M202612080031CampaignValidityEnd"/>), the same rule as the coupon image
/// (<see cref="CampaignCouponSpec.ValidUntil"/>): type D = the KST date of 발송일시 + N days, otherwise the fixed date.
/// A validity that is missing or not a real date is stored as <see cref="Unknown"/>, so the keyset has no NULLs.
/// </summary>
public static class CampaignValidityEnd
{
    /// <summary>MariaDB's lowest DATE: "no validity known" (a draft without a product, a malformed catalog value).</summary>
    public static readonly DateTime Unknown = new(1000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static DateOnly? FromKey(DateTime key) => key.Date <= Unknown ? null : DateOnly.FromDateTime(key);
}
