using System.ComponentModel.DataAnnotations;
using CouponDesk.Shared.Hosting;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Coupon image settings (spec §6). Fonts are read from files, never through the host's font configuration, so the
/// output is the same on every machine; when no file is configured the Debian Korean fonts are looked up at start-up.
/// A font that is missing or cannot draw Korean stops start-up naming the key.
/// </summary>
public sealed class RenderingOptions : ISelfValidatingSettings
{
    public const string Section = "Rendering";

    /// <summary>Regular face (info band, coupon number). Empty: Noto Sans CJK KR, then Nanum Gothic, from Debian's paths.</summary>
    public string RegularFontFile { get; set; } = "";

    /// <summary>Bold face (product name, amount). Empty: found beside the regular face.</summary>
    public string BoldFontFile { get; set; } = "";

    /// <summary>Family to pick inside a font collection (.ttc), e.g. "Noto Sans CJK KR"; empty: the first face.</summary>
    public string FontFamily { get; set; } = "";

    /// <summary>
    /// Encode only the barcode band per coupon and splice it between the campaign's pre-encoded rows (JPEG restart
    /// markers, docs/decisions.md D-RND-3). False: encode the whole image per coupon.
    /// </summary>
    public bool SpliceEncodedRows { get; set; } = true;

    /// <summary>Largest accepted product or banner file for the preview endpoint.</summary>
    [Range(1024, 20 * 1024 * 1024)]
    public int MaxUploadBytes { get; set; } = 5 * 1024 * 1024;

    public IEnumerable<string> Validate()
    {
        FontFiles files;
        try
        {
            files = FontDiscovery.Locate(this);
        }
        catch (FontUnavailableException e)
        {
            return [$"{e.Key}: {e.Message}"];
        }

        using var fonts = CouponFonts.Load(files, out var problem);
        return fonts is null ? [problem!] : [];
    }
}
