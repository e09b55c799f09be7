using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Recipients;

/// <summary>Recipient list limits (spec §3.2.1 fields 17–18, §3.2.3).</summary>
public sealed class RecipientOptions
{
    public const string Section = "Recipients";

    /// <summary>Largest accepted upload in bytes (spec: 10 MB); checked before the body is read.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Data rows per upload (spec: 20,000; a 20,001st row refuses the whole file).</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 20_000;

    /// <summary>Numbers in quick entry (spec: 100).</summary>
    [Range(1, 1000)]
    public int MaxQuickEntryRows { get; set; } = 100;

    /// <summary>
    /// Largest total uncompressed size of an .xlsx package. A 20,000-row sheet is a few MB; anything near this is a
    /// decompression bomb, refused before a single row is parsed.
    /// </summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024)]
    public long MaxXlsxUncompressedBytes { get; set; } = 64 * 1024 * 1024;
}
