namespace CouponDesk.Features.Coupons;

/// <summary>
/// How one exchange event changes a coupon (spec §4.3 K2–K6, §7.2 [SR]): 001 = a use, 000 = a use cancelled,
/// 100 = cancelled at the supplier. AMOUNT coupons follow the pushed BALANCE when present.
/// </summary>
public static class ExchangeRules
{
    public static (string Status, int UsedAmount, int Balance) Apply(string couponType, int faceValue, int balance, ExchangeEvent e)
    {
        var isAmount = couponType == CouponType.Amount;
        switch (e.Status)
        {
            case "001" when isAmount:
                var left = Math.Clamp(e.Balance ?? (balance - (e.Price ?? balance)), 0, faceValue);
                return (left > 0 ? CouponStatus.PartiallyUsed : CouponStatus.Used, faceValue - left, left);
            case "001":
                return (CouponStatus.Used, faceValue, 0);
            case "000" when isAmount:
                var restored = Math.Clamp(e.Balance ?? (balance + (e.Price ?? 0)), 0, faceValue);
                return (restored == faceValue ? CouponStatus.Unused : CouponStatus.PartiallyUsed, faceValue - restored, restored);
            case "000":
                return (CouponStatus.Unused, 0, faceValue);
            default:
                return (CouponStatus.Cancelled, faceValue - balance, balance);
        }
    }
}
