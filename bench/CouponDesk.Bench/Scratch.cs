using System.Diagnostics;
using CouponDesk.Features.Rendering;
using SkiaSharp;

namespace CouponDesk.Bench;

public sealed class Scratch : IBenchmark
{
    public string Description => "scratch";

    public Task<int> RunAsync(string[] args)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(720, 224, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var c = new SKCanvas(bitmap)) { c.Clear(SKColors.White); using var p = new SKPaint { Color = SKColors.Black }; for (var x = 50; x < 650; x += 7) c.DrawRect(x, 20, 3, 140, p); }
        using var pixmap = bitmap.PeekPixels();
        var jpeg = JpegEncoding.Encode(pixmap, 90);
        var src = JpegRestartTranscoder.Parse(jpeg)!;
        for (var i = 0; i < 200; i++) { JpegEncoding.Encode(pixmap, 90); JpegRestartTranscoder.Transcode(jpeg, src); }
        var e = new List<double>(); var t = new List<double>(); var copy = new List<double>();
        var big = new byte[720 * 224 * 4]; var big2 = new byte[720 * 224 * 4];
        for (var i = 0; i < 500; i++)
        {
            var s = Stopwatch.GetTimestamp(); JpegEncoding.Encode(pixmap, 90); e.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
            s = Stopwatch.GetTimestamp(); JpegRestartTranscoder.Transcode(jpeg, src); t.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
            s = Stopwatch.GetTimestamp(); big.CopyTo(big2, 0); copy.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
        }
        e.Sort(); t.Sort(); copy.Sort();
        Console.WriteLine($"encode band {e[250]:F3} transcode {t[250]:F3} copy {copy[250]:F3} bytes {jpeg.Length}");
        return Task.FromResult(0);
    }
}
