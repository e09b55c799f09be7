namespace CouponDesk.Features.Rendering;

/// <summary>COUFUN's coupon types: an exchange voucher, or a money voucher that shows its amount.</summary>
public enum CouponType
{
    Barcode,
    Amount,
}

/// <summary>
/// Everything a campaign's coupon image shows except the coupon number: plain data from the campaign's snapshot
/// (spec §3.2.1 "copied into the campaign"). Images are the encoded files (JPEG, PNG, GIF, WebP); a null product image
/// draws the gift-box placeholder (spec §6.1, band 2). <see cref="ValidUntil"/> is the coupon's VALID_END_DATE: coupons
/// with another date need a template of their own (<c>spec with { ValidUntil = … }</c>).
/// </summary>
public sealed record CouponTemplateSpec(
    string ProductName,
    string Brand,
    DateOnly ValidUntil,
    CouponType Type,
    long? Amount,
    byte[]? ProductImage,
    byte[]? BannerImage);

/// <summary>One problem with a template spec: the field (camelCase, as in the API), a stable code and a Korean message.</summary>
public sealed record RenderProblem(string Field, string Code, string Message);
