using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// The coupon image service (spec §6). Campaign registration calls <see cref="Validate"/> (every string the layout
/// draws must be drawable, images must decode); the pipeline calls <see cref="CreateTemplate(CouponTemplateSpec)"/> once per campaign and
/// then <see cref="CouponTemplate.Render"/> per coupon, on as many threads as it likes. Singleton.
/// </summary>
public sealed class CouponRenderer(CouponFonts fonts, RenderingOptions options)
{
    public const int MaxProductNameLength = 150;
    public const int MaxBrandLength = 100;

    public CouponFonts Fonts => fonts;

    /// <summary>Every problem with <paramref name="spec"/>, as (field, Korean message); empty when it can be drawn.</summary>
    public IReadOnlyList<RenderProblem> Validate(CouponTemplateSpec spec)
    {
        var problems = ValidateTexts(spec);
        foreach (var (field, label, bytes) in Images(spec))
        {
            try
            {
                using var image = SourceImageDecoder.Decode(bytes, field, label);
            }
            catch (CouponRenderException e)
            {
                problems.Add(new RenderProblem(e.Field, e.Code, e.Message));
            }
        }

        return problems;
    }

    private List<RenderProblem> ValidateTexts(CouponTemplateSpec spec)
    {
        var problems = new List<RenderProblem>();
        CheckText(problems, "productName", "상품명", spec.ProductName, MaxProductNameLength, bold: true);
        CheckText(problems, "brand", "교환처", spec.Brand, MaxBrandLength, bold: false);
        CheckGlyphs(problems, "brand", "교환처", CouponText.BrandLine(spec.Brand), bold: false);
        CheckGlyphs(problems, "validUntil", "유효기간", CouponText.ValidityLine(spec.ValidUntil), bold: false);
        if (spec.Type == CouponType.Amount)
        {
            if (spec.Amount is not > 0)
            {
                problems.Add(new RenderProblem("amount", CouponRenderException.InvalidText, "금액권은 1원 이상의 금액이 필요합니다."));
            }
            else
            {
                CheckGlyphs(problems, "amount", "금액", CouponText.AmountLine(spec.Amount.Value), bold: true);
            }
        }

        return problems;
    }

    /// <summary>Draws (and, by default, encodes) the campaign's fixed parts once. Throws <see cref="CouponRenderException"/> for the first problem <see cref="Validate"/> would report.</summary>
    public CouponTemplate CreateTemplate(CouponTemplateSpec spec) => CreateTemplate(spec, options.SpliceEncodedRows);

    /// <summary>As <see cref="CreateTemplate(CouponTemplateSpec)"/>, choosing the encoding strategy (benchmarks compare both).</summary>
    public CouponTemplate CreateTemplate(CouponTemplateSpec spec, bool spliceEncodedRows)
    {
        using var prepared = Prepare(spec);
        var layout = prepared.Layout;
        var bitmap = new SKBitmap(new SKImageInfo(CouponLayout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        try
        {
            using (var canvas = new SKCanvas(bitmap))
            {
                FixedPartsPainter.Paint(canvas, prepared, fonts);
            }

            return new CouponTemplate(fonts, layout, bitmap, spliceEncodedRows);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>The registration preview (spec §3.2.2) as a JPEG.</summary>
    public RenderedCoupon RenderPreview(CouponTemplateSpec spec)
    {
        using var template = CreateTemplate(spec, spliceEncodedRows: false);
        return template.RenderPreview();
    }

    private PreparedSpec Prepare(CouponTemplateSpec spec)
    {
        // Images are checked by decoding them below, once.
        if (ValidateTexts(spec) is [var first, ..])
        {
            throw new CouponRenderException(first.Code, first.Field, first.Message);
        }

        SKImage? product = null;
        SKImage? banner = null;
        try
        {
            product = spec.ProductImage is { } p ? SourceImageDecoder.Decode(p, "productImage", "상품 이미지") : null;
            banner = spec.BannerImage is { } b ? SourceImageDecoder.Decode(b, "bannerImage", "배너 이미지") : null;
            return new PreparedSpec
            {
                ProductName = TextLayout.Normalize(spec.ProductName),
                BrandLine = CouponText.BrandLine(spec.Brand),
                ValidityLine = CouponText.ValidityLine(spec.ValidUntil),
                AmountLine = spec.Type == CouponType.Amount ? CouponText.AmountLine(spec.Amount!.Value) : null,
                Product = product,
                Banner = banner,
            };
        }
        catch
        {
            product?.Dispose();
            banner?.Dispose();
            throw;
        }
    }

    private void CheckText(List<RenderProblem> problems, string field, string label, string? text, int maxLength, bool bold)
    {
        var normalized = TextLayout.Normalize(text);
        if (normalized.Length == 0)
        {
            problems.Add(new RenderProblem(field, CouponRenderException.InvalidText, $"{label}이(가) 비어 있습니다."));
        }
        else if (normalized.Length > maxLength)
        {
            problems.Add(new RenderProblem(field, CouponRenderException.InvalidText, $"{label}은(는) {maxLength}자 이내여야 합니다."));
        }
        else
        {
            CheckGlyphs(problems, field, label, normalized, bold);
        }
    }

    private void CheckGlyphs(List<RenderProblem> problems, string field, string label, string text, bool bold)
    {
        var missing = fonts.MissingCharacters(text, bold);
        if (missing.Count > 0 && !problems.Any(p => p.Field == field))
        {
            problems.Add(new RenderProblem(field, CouponRenderException.MissingGlyphs, GlyphMessages.Missing(label, missing)));
        }
    }

    private static IEnumerable<(string Field, string Label, byte[] Bytes)> Images(CouponTemplateSpec spec)
    {
        if (spec.ProductImage is { } product)
        {
            yield return ("productImage", "상품 이미지", product);
        }

        if (spec.BannerImage is { } banner)
        {
            yield return ("bannerImage", "배너 이미지", banner);
        }
    }
}
