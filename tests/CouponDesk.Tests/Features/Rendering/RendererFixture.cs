using CouponDesk.Features.Rendering;

namespace CouponDesk.Tests.Features.Rendering;

/// <summary>One renderer with the machine's Korean fonts, shared by a test class (fonts are thread-safe).</summary>
public sealed class RendererFixture : IDisposable
{
    public RendererFixture()
    {
        Options = new RenderingOptions();
        Fonts = CouponFonts.Load(FontDiscovery.Locate(Options), out var problem) ?? throw new InvalidOperationException(problem);
        Renderer = new CouponRenderer(Fonts, Options);
    }

    public RenderingOptions Options { get; }

    public CouponFonts Fonts { get; }

    public CouponRenderer Renderer { get; }

    public void Dispose() => Fonts.Dispose();
}
