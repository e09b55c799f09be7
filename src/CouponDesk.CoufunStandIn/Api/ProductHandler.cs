using CouponDesk.CoufunStandIn.Catalog;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Protocol;

namespace CouponDesk.CoufunStandIn.Api;

/// <summary><c>coufunProduct.do</c>: the whole listed catalog in one answer, limited per KST day (09).</summary>
public sealed class ProductHandler(StandInCatalog catalog, StandInLedger ledger, StandInOptions options)
{
    private const string Root = "PRODUCTLIST";

    public async Task<XmlAnswer> HandleAsync(B2cEndpoints.Call call)
    {
        var calls = await ledger.CountProductListCallAsync(call.Http.RequestAborted);
        if (calls > options.ProductListDailyLimit)
        {
            return XmlAnswer.Failure(Root, "coufunProduct.do", "09");
        }

        var baseUrl = string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? $"{call.Http.Request.Scheme}://{call.Http.Request.Host}/"
            : options.PublicBaseUrl.TrimEnd('/') + "/";
        var listed = catalog.All.Where(p => p.Listed).ToList();
        var answer = new XmlAnswer(Root).Add("RESULT_CODE", "00").Add("RESULT_MSG", "SUCCESS").Add("LIST_CNT", listed.Count);
        foreach (var p in listed)
        {
            answer.Block("PRODUCT_INFO", b =>
            {
                b.Add("CAT_ID", p.CatId).Add("GOODS_ID", p.GoodsId).Add("GOODS_NAME", p.Name)
                    .Add("GOODS_ORI_PRICE", p.OriPrice).Add("GOODS_PRICE", p.Price)
                    .Add("GOODS_INFO", p.Info).Add("USE_GUIDE", p.Guide).Add("EXC_BRANCH", p.Branch)
                    .Add("VALID_END_TYPE", p.ValidEndType.ToString()).Add("VALID_END_DATE", p.ValidEndValue)
                    .Add("SEND_TYPE", p.SendType.ToString());
                foreach (var size in "smb")
                {
                    b.Add($"IMAGE_PATH_{char.ToUpperInvariant(size)}", $"{baseUrl}img/{p.GoodsId}_{size}.jpg");
                }

                foreach (var size in "smb")
                {
                    var side = ProductImages.Sizes[size];
                    b.Add($"IMAGE_SIZE_{char.ToUpperInvariant(size)}_W", side).Add($"IMAGE_SIZE_{char.ToUpperInvariant(size)}_H", side);
                }
            });
        }

        return answer;
    }
}
