using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Protocol;

namespace CouponDesk.CoufunStandIn.Api;

/// <summary>
/// <c>coufunPartCancel.do</c>: cancels a normal coupon (STATUS=100, CANCEL_DATE); refuses used (17), cancelled (18)
/// and expired (04) ones. [S] A partly used AMOUNT coupon counts as used (17): the manual does not say.
/// </summary>
public sealed class CancelHandler(StandInCatalog catalog, StandInLedger ledger, StandInDb db, StandInOptions options)
{
    private const string Root = "COUFUNCANCEL";
    private const string Api = "coufunPartCancel.do";

    public async Task<XmlAnswer> HandleAsync(B2cEndpoints.Call call)
    {
        var ct = call.Http.RequestAborted;
        var (code, coupon) = await CouponLookup.FindAsync(catalog, ledger, options, call.Parameters, ct);
        code ??= coupon!.Status switch
        {
            "001" => "17",
            "100" => "18",
            _ when coupon.RemainAmount < coupon.TotalAmount => "17",
            _ when CouponLookup.IsExpired(coupon, ledger.TodayKst) => "04",
            _ => null,
        };
        if (code is not null)
        {
            return XmlAnswer.Failure(Root, Api, code);
        }

        await using var c = await db.OpenAsync(ct);
        await ledger.UpdateCouponAsync(coupon! with { Status = "100", CancelDate = ledger.NowKst14 }, c);
        return new XmlAnswer(Root).Add("RESULT_CODE", "00").Add("RESULT_MSG", "SUCCESS").Add("BARCODE_NUM", coupon!.BarcodeNum);
    }
}
