using CouponDesk.Features.Rendering;
using CouponDesk.TestSupport.Rendering;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Features.Rendering;

public sealed class DebugTests(ITestOutputHelper output, RendererFixture fixture) : IClassFixture<RendererFixture>
{
    [Fact]
    public void Dump()
    {
        using var template = fixture.Renderer.CreateTemplate(CouponImageTests.Spec(CouponType.Barcode, true, "x"), false);
        foreach (var number in new[] { "AB12-cd34_ef56", "912345678901", "ABCDEFGHIJ", "1234567890123456789012345678", "A1B2C3D4E5F6G7H8I9" })
        {
            var code = Code128Bars.Encode(number);
            var jpeg = template.Render(number).Jpeg;
            foreach (var scale in new[] { 1f, 0.75f, 0.66f, 0.6f, 0.5f, 0.45f })
            {
                output.WriteLine($"{number} m={code.ModuleWidth} modules={code.Modules.Length} scale {scale}: {JpegReader.ReadBarcode(jpeg, scale)}");
            }
        }
    }
}
