namespace CouponDesk.Features.Rendering;

/// <summary>
/// Input the renderer cannot draw correctly: an unreadable image, a character the font lacks, a barcode too long for
/// the band. <see cref="Code"/> is stable English, <see cref="Exception.Message"/> Korean for the operator, <see cref="Field"/>
/// the input at fault (camelCase). Never carries the coupon number.
/// </summary>
public sealed class CouponRenderException(string code, string field, string message) : Exception(message)
{
    public const string InvalidImage = "render_invalid_image";
    public const string ImageTooLarge = "render_image_too_large";
    public const string MissingGlyphs = "render_missing_glyphs";
    public const string InvalidText = "render_invalid_text";
    public const string BarcodeTooLong = "render_barcode_too_long";
    public const string InvalidCouponNumber = "render_invalid_coupon_number";
    public const string FileTooLarge = "render_file_too_large";

    public string Code { get; } = code;

    public string Field { get; } = field;
}
