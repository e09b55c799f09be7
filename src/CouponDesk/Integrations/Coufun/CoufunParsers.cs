using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CouponDesk.Integrations.Coufun;

/// <summary>Reads the success elements of each answer, accepting the shapes the manuals disagree on (spec §11).</summary>
public static partial class CoufunParsers
{
    [GeneratedRegex("^[A-Za-z0-9]{1,10}$")]
    public static partial Regex GoodsIdFormat();

    [GeneratedRegex("^[\\x21-\\x7E]{1,30}$")]
    private static partial Regex BarcodeFormat();

    public static CoufunProductList ProductList(XElement root)
    {
        var products = new List<CoufunProduct>();
        var skipped = 0;
        foreach (var info in root.Elements("PRODUCT_INFO"))
        {
            var goodsId = CoufunXml.Text(info, "GOODS_ID");
            if (goodsId is null || !GoodsIdFormat().IsMatch(goodsId))
            {
                // Only GOODS_ID is required to keep a row (§2.2 [SR]); an id that is not a plain id is not kept either.
                skipped++;
                continue;
            }

            products.Add(new CoufunProduct(
                goodsId,
                CoufunXml.Text(info, "CAT_ID"),
                CoufunXml.Text(info, "GOODS_NAME"),
                CoufunXml.Number(info, "GOODS_ORI_PRICE"),
                CoufunXml.Number(info, "GOODS_PRICE"),
                CoufunXml.Text(info, "GOODS_INFO"),
                CoufunXml.Text(info, "USE_GUIDE"),
                CoufunXml.Text(info, "EXC_BRANCH"),
                CoufunXml.Text(info, "VALID_END_TYPE"),
                CoufunXml.Text(info, "VALID_END_DATE"),
                CoufunXml.Text(info, "SEND_TYPE"),
                Image(info, "S"),
                Image(info, "M"),
                Image(info, "B")));
        }

        return new CoufunProductList(products, CoufunXml.Number(root, "LIST_CNT"), skipped);
    }

    public static CoufunCreatedOrder CreatedOrder(XElement root, string sentTrId, int sentCount)
    {
        var blocks = root.Elements("ORDER_INFO").ToList();
        var coupons = blocks.Count > 0
            ? blocks.Select(b => (CoufunXml.Text(b, "BARCODE_NUM"), CoufunXml.Text(b, "STAMP_DUTY"))).ToList()
            : CoufunXml.Text(root, "BARCODE_NUM") is { } flat ? [(flat, CoufunXml.Text(root, "STAMP_DUTY"))] : [];
        var valid = coupons.Where(c => c.Item1 is not null && BarcodeFormat().IsMatch(c.Item1)).Select(c => new CoufunCreatedCoupon(c.Item1!, c.Item2)).ToList();
        var orderCount = CoufunXml.Number(root, "ORDER_CNT");
        var trIdEcho = CoufunXml.Text(root, "TR_ID");
        var reasons = new List<string>();
        if (valid.Count != sentCount)
        {
            reasons.Add($"{valid.Count} usable coupon numbers for CREATE_CNT {sentCount}");
        }

        if (orderCount != sentCount)
        {
            reasons.Add($"ORDER_CNT {orderCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"} for CREATE_CNT {sentCount}");
        }

        if (trIdEcho != sentTrId)
        {
            reasons.Add("TR_ID echo differs from the TR_ID sent");
        }

        if (valid.Select(c => c.BarcodeNum).Distinct(StringComparer.Ordinal).Count() != valid.Count)
        {
            reasons.Add("the same coupon number appears twice");
        }

        return new CoufunCreatedOrder(
            CoufunXml.Text(root, "ORDER_ID"),
            CoufunXml.Text(root, "CAT_ID"),
            CoufunXml.Text(root, "GOODS_ID"),
            trIdEcho,
            orderCount,
            CoufunDates.ParseDate(CoufunXml.Text(root, "VALID_END_DATE")),
            valid,
            reasons.Count == 0 ? null : string.Join("; ", reasons));
    }

    /// <summary>Flat elements under the root, or the ORDER_INFO block whose BARCODE_NUM matches (§4.2 [SR]).</summary>
    public static CoufunCouponStatus CouponStatus(XElement root, string barcodeNum)
    {
        var source = root.Elements("ORDER_INFO").FirstOrDefault(b => CoufunXml.Text(b, "BARCODE_NUM") == barcodeNum) ?? root;
        var unreadable = new List<string>();
        T? Read<T>(string name, Func<string?, T?> parse)
            where T : struct
        {
            var text = CoufunXml.Text(source, name);
            var value = parse(text);
            if (!string.IsNullOrEmpty(text) && value is null)
            {
                unreadable.Add(name);
            }

            return value;
        }

        var status = CoufunXml.Text(source, "STATUS");
        if (status is not ("000" or "001" or "100"))
        {
            unreadable.Add("STATUS");
        }

        return new CoufunCouponStatus(
            CoufunXml.Text(source, "BARCODE_NUM"),
            CoufunXml.Text(source, "COUPON_TYPE"),
            status,
            Read("ORDER_DATE", CoufunDates.ParseDate),
            Read("VALID_END_DATE", CoufunDates.ParseDate),
            Read("EXCHANGE_DATE", CoufunDates.ParseTimestampToUtc),
            Read("CANCEL_DATE", CoufunDates.ParseTimestampToUtc),
            Read("TOTAL_AMOUNT", ParseAmount),
            Read("REMAIN_AMOUNT", ParseAmount),
            Expired: false)
        { Unreadable = unreadable };
    }

    private static int? ParseAmount(string? text) =>
        text is not null && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static CoufunProductImage? Image(XElement info, string size) =>
        CoufunXml.Text(info, $"IMAGE_PATH_{size}") is { } url
            ? new CoufunProductImage(url, CoufunXml.Number(info, $"IMAGE_SIZE_{size}_W"), CoufunXml.Number(info, $"IMAGE_SIZE_{size}_H"))
            : null;
}
