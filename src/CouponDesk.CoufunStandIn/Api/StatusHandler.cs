using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Protocol;

namespace CouponDesk.CoufunStandIn.Api;

/// <summary><c>coufunPartAmountStatus.do</c>: one coupon's state, flat under the root as in the manual's example.</summary>
public sealed class StatusHandler(StandInCatalog catalog, StandInLedger ledger, StandInOptions options)
{
    private const string Root = "COUFUNSEARCH";
    private const string Api = "coufunPartAmountStatus.do";

    public async Task<XmlAnswer> HandleAsync(B2cEndpoints.Call call)
    {
        var (code, coupon) = await CouponLookup.FindAsync(catalog, ledger, options, call.Parameters, call.Http.RequestAborted);
        if (code is not null)
        {
            return XmlAnswer.Failure(Root, Api, code);
        }

        if (options.ExpiredStatusAnswers04 && coupon!.Status == "000" && CouponLookup.IsExpired(coupon, ledger.TodayKst))
        {
            return XmlAnswer.Failure(Root, Api, "04");
        }

        var k = coupon!;
        var answer = new XmlAnswer(Root).Add("RESULT_CODE", "00").Add("RESULT_MSG", "SUCCESS")
            .Add("COUPON_TYPE", k.CouponType).Add("ORDER_DATE", k.OrderDate).Add("STATUS", k.Status)
            .Add("RECEIVER_MOBILE", "").Add("BARCODE_NUM", k.BarcodeNum).Add("VALID_END_DATE", k.ValidEndDate)
            .Add("EXCHANGE_DATE", k.ExchangeDate).Add("CANCEL_DATE", k.CancelDate);
        if (k.CouponType == "AMOUNT")
        {
            answer.Add("TOTAL_AMOUNT", k.TotalAmount).Add("REMAIN_AMOUNT", k.RemainAmount);
        }

        return answer;
    }
}

/// <summary>GOODS_ID and BARCODE_NUM checks shared by status and cancel: 10, 31, then 16.</summary>
public static class CouponLookup
{
    public static async Task<(string? Code, LedgerCoupon? Coupon)> FindAsync(StandInCatalog catalog, StandInLedger ledger, StandInOptions options, RequestParameters p, CancellationToken ct)
    {
        var product = catalog.Find(p["GOODS_ID"]);
        if (product is null)
        {
            return ("10", null);
        }

        if (!product.ValidSaleId)
        {
            return ("31", null);
        }

        var barcode = p["BARCODE_NUM"];
        if (string.IsNullOrEmpty(barcode) || barcode.Length > 30)
        {
            return ("16", null);
        }

        var coupon = await ledger.FindCouponAsync(barcode, ct);
        return coupon is null || coupon.PocId != options.PocId || coupon.GoodsId != product.GoodsId ? ("16", null) : (null, coupon);
    }

    /// <summary>Expired = unused and today (KST) after VALID_END_DATE (valid through that whole day).</summary>
    public static bool IsExpired(LedgerCoupon coupon, DateOnly todayKst) =>
        string.CompareOrdinal(todayKst.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), coupon.ValidEndDate) > 0;
}
