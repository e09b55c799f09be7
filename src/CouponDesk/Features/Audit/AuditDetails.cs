using System.Text.Encodings.Web;
using System.Text.Json;

namespace CouponDesk.Features.Audit;

/// <summary>
/// The 상세 of an audit row as JSON that people can read: Korean and other non-ASCII text stays as it is instead of
/// <c>\uBC1C…</c> escapes (the default encoder's), both in the stored row and in the CSV export. The values are
/// masked before they get here and the JSON is only ever shown as text, never put into HTML.
/// </summary>
public static class AuditDetails
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(IReadOnlyDictionary<string, string?> details) => JsonSerializer.Serialize(details, Readable);

    /// <summary>Stored details (older rows were written with escapes) rewritten readably; text that is not JSON stays as it is.</summary>
    public static string? ForReading(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return details;
        }

        try
        {
            using var document = JsonDocument.Parse(details);
            return JsonSerializer.Serialize(document.RootElement, Readable);
        }
        catch (JsonException)
        {
            return details;
        }
    }
}
