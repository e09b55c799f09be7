using ZXing.OneD;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// The coupon number as Code 128 modules (ZXing.Net encodes; we draw), sized by spec §6.2: the widest integer module
/// of 4, 3 or 2 px whose bars plus a 10-module quiet zone on each side fit in 680 px. Integer modules keep every bar
/// edge on a pixel boundary, so JPEG and phone-screen scaling cannot blur one bar into the next.
/// </summary>
public sealed class Code128Bars
{
    public const int MaxLength = 30;
    public const int QuietZoneModules = 10;
    public const int MaxWidth = 680;
    private static readonly int[] ModuleWidths = [4, 3, 2];

    private Code128Bars(bool[] modules, int moduleWidth)
    {
        Modules = modules;
        ModuleWidth = moduleWidth;
    }

    /// <summary>true = a black module, from the first bar to the last (quiet zones not included).</summary>
    public bool[] Modules { get; }

    public int ModuleWidth { get; }

    public int BarsWidth => Modules.Length * ModuleWidth;

    public static Code128Bars Encode(string couponNumber)
    {
        if (!IsValidNumber(couponNumber))
        {
            throw new CouponRenderException(
                CouponRenderException.InvalidCouponNumber, "couponNumber", "쿠폰번호 형식이 올바르지 않습니다. (영문·숫자·기호 30자 이내)");
        }

        var modules = new Code128Writer().encode(couponNumber);
        foreach (var width in ModuleWidths)
        {
            if ((modules.Length + 2 * QuietZoneModules) * width <= MaxWidth)
            {
                return new Code128Bars(modules, width);
            }
        }

        throw new CouponRenderException(CouponRenderException.BarcodeTooLong, "couponNumber", "바코드 길이 초과");
    }

    /// <summary>1–30 printable ASCII characters without spaces: what BARCODE_NUM can be and Code 128 set B/C can carry.</summary>
    public static bool IsValidNumber(string? couponNumber) =>
        couponNumber is { Length: > 0 and <= MaxLength } && couponNumber.All(c => c is > ' ' and <= '~');
}
