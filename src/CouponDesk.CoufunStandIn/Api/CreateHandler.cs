using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Protocol;

namespace CouponDesk.CoufunStandIn.Api;

/// <summary>
/// <c>coufunCreate.do</c>, checks in the order of spec §10: GOODS_ID (10, 30, 31), CREATE_CNT (08), TR_ID length (11)
/// and reuse (12), RESERVE1/2 (24/25), issuance ceiling (95). Every call carrying a TR_ID is counted.
/// </summary>
public sealed class CreateHandler(StandInCatalog catalog, StandInLedger ledger, StandInOptions options)
{
    private const string Root = "COUFUNCREATE";
    private const string Api = "coufunCreate.do";

    public async Task<XmlAnswer> HandleAsync(B2cEndpoints.Call call)
    {
        var ct = call.Http.RequestAborted;
        var p = call.Parameters;
        var trId = string.IsNullOrEmpty(p["TR_ID"]) ? null : p["TR_ID"];
        if (trId is not null && B2cEndpoints.Bytes(trId) <= 64)
        {
            await ledger.CountCreateCallAsync(trId, ct);
        }

        var code = await CheckAsync(p, trId, ct);
        if (code is null && call.Fault.ForcedCode is { } forced)
        {
            code = forced;
            if (trId is not null && call.Fault.RecordTrId)
            {
                await ledger.SetLastCodeAsync(trId, forced, consume: true, ct);
                trId = null;
            }
        }

        if (code is not null)
        {
            if (trId is not null && B2cEndpoints.Bytes(trId) <= 64)
            {
                await ledger.SetLastCodeAsync(trId, code, consume: false, ct);
            }

            return XmlAnswer.Failure(Root, Api, code);
        }

        var product = catalog.Find(p["GOODS_ID"])!;
        var order = await ledger.CreateOrderAsync(product, int.Parse(p["CREATE_CNT"]!, System.Globalization.CultureInfo.InvariantCulture), trId, p["RESERVE1"] ?? "", p["RESERVE2"] ?? "", ct);
        if (order is null)
        {
            return XmlAnswer.Failure(Root, Api, "12");
        }

        if (call.Fault.DropAfterCreate)
        {
            await ledger.MarkResponseDroppedAsync(order, ct);
            call.DropAnswer = true;
        }
        else if (call.Fault.Malformed)
        {
            // The truncated answer loses the created order to the caller just as a dropped one does: the ledger says so,
            // so a test can compare its in-doubt list with every answer lost after creation.
            await ledger.MarkResponseDroppedAsync(order, ct);
        }

        var answer = new XmlAnswer(Root).Add("RESULT_CODE", "00").Add("RESULT_MSG", "SUCCESS")
            .Add("ORDER_ID", order.OrderId).Add("CAT_ID", order.CatId).Add("GOODS_ID", order.GoodsId).Add("TR_ID", order.TrId)
            .Add("ORDER_CNT", order.OrderCnt).Add("VALID_END_DATE", order.ValidEndDate)
            .Add("RESERVE1", order.Reserve1).Add("RESERVE2", order.Reserve2);
        foreach (var coupon in order.Coupons)
        {
            answer.Block("ORDER_INFO", b => b.Add("BARCODE_NUM", coupon.BarcodeNum).Add("STAMP_DUTY", coupon.StampDuty));
        }

        return answer;
    }

    private async Task<string?> CheckAsync(RequestParameters p, string? trId, CancellationToken ct)
    {
        var product = catalog.Find(p["GOODS_ID"]);
        if (product is null)
        {
            return "10";
        }

        if (!product.Sellable)
        {
            return "30";
        }

        if (!product.ValidSaleId)
        {
            return "31";
        }

        var countText = p["CREATE_CNT"];
        if (countText is null || countText.Length is 0 or > 2 || !countText.All(char.IsAsciiDigit) || int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture) is < 1 or > 10)
        {
            return "08";
        }

        if (trId is not null && B2cEndpoints.Bytes(trId) > 50)
        {
            return "11";
        }

        if (trId is not null && await ledger.IsTrIdUsedAsync(trId, ct))
        {
            return "12";
        }

        if (B2cEndpoints.Bytes(p["RESERVE1"] ?? "") > 200)
        {
            return "24";
        }

        if (B2cEndpoints.Bytes(p["RESERVE2"] ?? "") > 200)
        {
            return "25";
        }

        if (await ledger.IssuedCountAsync(ct) + int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture) > options.IssuanceCeiling)
        {
            return "95";
        }

        return null;
    }
}
