using System.Text;

namespace CouponDesk.Shared.Text;

/// <summary>
/// The Korean code pages COUFUN and the SNAP Agent use. .NET knows them only after the code-pages provider is
/// registered; touching this class registers it, so no caller depends on start-up order (tests build hosts directly).
/// </summary>
public static class KoreanEncoding
{
    static KoreanEncoding()
    {
        Register();
        Cp949 = Encoding.GetEncoding(949);
        StrictEucKr = Encoding.GetEncoding(51949, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>Makes CP949 and EUC-KR available to .NET (idempotent): the one place the code-pages provider is registered.</summary>
    public static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>CP949 (a superset of EUC-KR): what COUFUN's "EUC-KR" bytes are decoded and encoded with (spec §8.4).</summary>
    public static Encoding Cp949 { get; }

    /// <summary>Strict EUC-KR (KS X 1001): throws on characters it cannot encode (emoji, CP949-only syllables).</summary>
    public static Encoding StrictEucKr { get; }

    /// <summary>Length in EUC-KR bytes, as COUFUN's "byte" limits count it (Hangul 2, ASCII 1).</summary>
    public static int ByteCount(string value) => Cp949.GetByteCount(value);
}
