using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Products;

/// <summary>Catalog sync and the product image cache (section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>Where product images are cached for the renderer (relative paths are under the content root).</summary>
    [Required]
    public string ImageDirectory { get; set; } = "data/product-images";

    /// <summary>Manual syncs allowed per KST day (spec §3.5: 3).</summary>
    [Range(0, 100)]
    public int ManualRunsPerDay { get; set; } = 3;

    /// <summary>Product-list calls we allow ourselves per KST day, scheduled and manual together, kept below COUFUN's undocumented limit (09).</summary>
    [Range(1, 1000)]
    public int DailyCallBudget { get; set; } = 6;

    /// <summary>Largest image accepted from an IMAGE_PATH URL.</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int ImageMaxBytes { get; set; } = 5 * 1024 * 1024;
}
