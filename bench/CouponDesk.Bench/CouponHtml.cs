using System.Net;
using CouponDesk.Features.Rendering;

namespace CouponDesk.Bench;

/// <summary>
/// The coupon layout as HTML/CSS, the way a browser-based renderer would draw it (spec §6.1 bands, same fonts, the
/// same Code 128 modules as divs). The benchmark screenshots it in headless Chromium for comparison.
/// </summary>
public static class CouponHtml
{
    public static string Page(CouponTemplateSpec spec) => $$"""
        <!doctype html>
        <html lang="ko"><head><meta charset="utf-8"><style>
          * { margin: 0; padding: 0; box-sizing: border-box; }
          body { width: 720px; background: #fff; font-family: "Noto Sans CJK KR", "NanumGothic", sans-serif; }
          .band { width: 720px; display: flex; align-items: center; justify-content: center; border-top: 1px solid #ccc; overflow: hidden; }
          .band:first-child { border-top: 0; }
          .banner { height: 240px; background: url({{DataUri(spec.BannerImage)}}) center / cover; }
          .product { height: 300px; padding: 10px; }
          .product img { max-width: 100%; max-height: 100%; }
          .name { height: 120px; flex-direction: column; padding: 0 20px; font: bold 30px/1.3 "Noto Sans CJK KR", sans-serif; color: #111; text-align: center; }
          .name .amount { font-size: 26px; color: #d6331f; }
          .barcode { height: 240px; flex-direction: column; }
          #bars { display: flex; height: 140px; }
          #bars i { display: block; height: 140px; }
          #number { font-size: 26px; line-height: 1.3; margin-top: 6px; }
          .info { height: 180px; }
          .info div { width: 360px; padding: 0 20px; text-align: center; font-size: 22px; color: #333; }
          .info div + div { border-left: 1px solid #ccc; }
        </style></head><body>
          {{(spec.BannerImage is null ? "" : "<div class=\"band banner\"></div>")}}
          <div class="band product"><img src="{{DataUri(spec.ProductImage)}}"></div>
          <div class="band name"><div>{{WebUtility.HtmlEncode(spec.ProductName)}}</div>{{(spec.Amount is { } a ? $"<div class=\"amount\">{CouponText.AmountLine(a)}</div>" : "")}}</div>
          <div class="band barcode"><div id="bars"></div><div id="number"></div></div>
          <div class="band info"><div>{{WebUtility.HtmlEncode(CouponText.BrandLine(spec.Brand))}}</div><div>{{CouponText.ValidityLine(spec.ValidUntil)}}</div></div>
        </body></html>
        """;

    /// <summary>JavaScript that draws one coupon's bars and number into the page (run per coupon before the screenshot).</summary>
    public static string SetCouponScript(string number)
    {
        var code = Code128Bars.Encode(number);
        var bars = string.Concat(code.Modules.Select(black => $"<i style=\"width:{code.ModuleWidth}px;background:{(black ? "#000" : "#fff")}\"></i>"));
        return $"() => {{ document.getElementById('bars').innerHTML = '{bars}'; document.getElementById('number').textContent = '{CouponText.GroupedNumber(number)}'; }}";
    }

    private static string DataUri(byte[]? image) =>
        image is null ? "" : $"data:image/{(image[0] == 0x89 ? "png" : "jpeg")};base64,{Convert.ToBase64String(image)}";
}
