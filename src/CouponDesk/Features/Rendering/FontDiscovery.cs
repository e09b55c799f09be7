namespace CouponDesk.Features.Rendering;

/// <summary>The font files and the face to use inside a collection.</summary>
public sealed record FontFiles(string Regular, string Bold, string Family);

/// <summary>A configured font file that does not exist, or no Korean font found; <see cref="Key"/> names the setting.</summary>
public sealed class FontUnavailableException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

/// <summary>
/// Finds the Korean fonts: the configured files, or Debian's <c>fonts-noto-cjk</c> (Noto Sans CJK KR, the spec's
/// "Noto Sans KR") and then <c>fonts-nanum</c> (Nanum Gothic, the spec's fallback) at their package paths.
/// </summary>
public static class FontDiscovery
{
    private static readonly FontFiles[] DebianCandidates =
    [
        new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK KR"),
        new("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", ""),
    ];

    public static FontFiles Locate(RenderingOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.RegularFontFile))
        {
            var regular = options.RegularFontFile.Trim();
            var bold = string.IsNullOrWhiteSpace(options.BoldFontFile) ? regular : options.BoldFontFile.Trim();
            RequireFile(regular, nameof(RenderingOptions.RegularFontFile));
            RequireFile(bold, nameof(RenderingOptions.BoldFontFile));
            return new FontFiles(regular, bold, options.FontFamily.Trim());
        }

        foreach (var candidate in DebianCandidates)
        {
            if (File.Exists(candidate.Regular) && File.Exists(candidate.Bold))
            {
                return string.IsNullOrWhiteSpace(options.FontFamily) ? candidate : candidate with { Family = options.FontFamily.Trim() };
            }
        }

        throw new FontUnavailableException(
            nameof(RenderingOptions.RegularFontFile),
            "no Korean font found; install fonts-noto-cjk or fonts-nanum, or set the font files");
    }

    private static void RequireFile(string path, string key)
    {
        if (!File.Exists(path))
        {
            throw new FontUnavailableException(key, $"font file {path} does not exist");
        }
    }
}
