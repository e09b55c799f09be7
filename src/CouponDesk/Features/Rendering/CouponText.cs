using System.Globalization;

namespace CouponDesk.Features.Rendering;

/// <summary>The strings the layout draws, in one place so validation checks exactly what is drawn.</summary>
public static class CouponText
{
    public static string BrandLine(string brand) => $"교환처 : {TextLayout.Normalize(brand)}";

    public static string ValidityLine(DateOnly validUntil) =>
        $"유효기간 : {validUntil.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture)}까지";

    public static string AmountLine(long amount) => amount.ToString("#,0", CultureInfo.InvariantCulture) + "원";

    /// <summary>"1234 5678 9012": the number under the bars in groups of four (spec §6.2).</summary>
    public static string GroupedNumber(string couponNumber)
    {
        var groups = couponNumber.Chunk(4).Select(group => new string(group));
        return string.Join(' ', groups);
    }

    public const string PreviewWatermark = "미리보기";

    /// <summary>The preview's dummy barcode: a sample that looks masked and is no real coupon (spec §3.2.2).</summary>
    public const string PreviewNumber = "000000000000";
}
