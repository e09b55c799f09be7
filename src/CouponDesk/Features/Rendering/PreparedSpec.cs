using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>A template spec checked and ready to draw: texts normalised, images decoded. Owns the decoded images.</summary>
internal sealed class PreparedSpec : IDisposable
{
    public required string ProductName { get; init; }

    public required string BrandLine { get; init; }

    public required string ValidityLine { get; init; }

    public string? AmountLine { get; init; }

    public SKImage? Product { get; init; }

    public SKImage? Banner { get; init; }

    public CouponLayout Layout => CouponLayout.For(Banner is not null);

    public void Dispose()
    {
        Product?.Dispose();
        Banner?.Dispose();
    }
}
