using System.Xml;
using System.Xml.Linq;
using CouponDesk.Shared.Logging;
using CouponDesk.Shared.Text;

namespace CouponDesk.Integrations.Coufun;

/// <summary>
/// Turns the bytes of an answer into a document: decoded with CP949 (never the header's charset, never strict
/// EUC-KR — spec §8.4), parsed without DTDs, required root and <c>RESULT_CODE</c>. Anything else is a typed failure.
/// </summary>
public static class CoufunXml
{
    private const int MaxKeptRawChars = 4000;

    public sealed record Parsed(XElement? Root, string? Failure, string? MaskedRaw);

    public static Parsed Parse(byte[] body, string expectedRoot)
    {
        string text;
        try
        {
            text = KoreanEncoding.Cp949.GetString(body);
        }
        catch (ArgumentException)
        {
            return new Parsed(null, "the body is not CP949 text", MaskRaw(Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 256)))));
        }

        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64L * 1024 * 1024 });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return new Parsed(null, $"the body is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition})", MaskRaw(text));
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != expectedRoot)
        {
            return new Parsed(null, $"unexpected root element {root?.Name.LocalName ?? "(none)"}, expected {expectedRoot}", MaskRaw(text));
        }

        var code = root.Element("RESULT_CODE")?.Value.Trim();
        if (string.IsNullOrEmpty(code))
        {
            return new Parsed(null, "the answer has no RESULT_CODE", MaskRaw(text));
        }

        return new Parsed(root, null, null);
    }

    /// <summary>Text of a child element, trimmed; absent and empty are alike (spec §4.2).</summary>
    public static string? Text(XElement parent, string name) => parent.Element(name)?.Value.Trim() is { Length: > 0 } v ? v : null;

    public static int? Number(XElement parent, string name) =>
        Text(parent, name) is { } v && int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Masks every BARCODE_NUM element's value, then any long digit run or phone number that remains.</summary>
    public static string MaskRaw(string text)
    {
        var masked = System.Text.RegularExpressions.Regex.Replace(
            text, "<BARCODE_NUM>([^<]*)", m => $"<BARCODE_NUM>{SensitiveDataMasker.MaskCouponNumber(m.Groups[1].Value)}",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        masked = SensitiveDataMasker.Mask(masked);
        return masked.Length <= MaxKeptRawChars ? masked : masked[..MaxKeptRawChars] + "…";
    }
}
