using System.Diagnostics;
using CouponDesk.Features.Rendering;
using CouponDesk.TestSupport.Rendering;
using Microsoft.Playwright;

namespace CouponDesk.Bench;

/// <summary>
/// Coupon images (720 × 1080, banner, BARCODE): median ms per image on one core for both JPEG strategies, images per
/// second on all cores, and a headless Chromium screenshot of the same layout as HTML for comparison.
/// <c>rendering [--count N] [--browser-count N] [--no-browser]</c>. Goal: ≤ 5 ms median, ≥ 20× faster than the browser.
/// </summary>
public sealed class RenderingBenchmark : IBenchmark
{
    public string Description => "coupon JPEG: ms/image on one core, images/s on all cores, vs headless Chromium";

    public async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--count", 1000);
        var browserCount = Option(args, "--browser-count", 40);
        Console.WriteLine(MachineInfo.Describe());
        Console.WriteLine($"load average before: {LoadAverage()}");

        using var fonts = CouponFonts.Load(FontDiscovery.Locate(new RenderingOptions()), out var problem) ?? throw new InvalidOperationException(problem);
        var renderer = new CouponRenderer(fonts, new RenderingOptions());
        var spec = new CouponTemplateSpec("카페 아메리카노 T", "스타벅스", new DateOnly(2027, 1, 24), CouponType.Barcode, null,
            SampleArtwork.CoffeeProduct(), SampleArtwork.EventBanner());

        var build = Stopwatch.StartNew();
        using var spliced = renderer.CreateTemplate(spec, spliceEncodedRows: true);
        Console.WriteLine($"template (spliced) built in {build.Elapsed.TotalMilliseconds:F1} ms; spliced={spliced.IsSpliced}");
        using var whole = renderer.CreateTemplate(spec, spliceEncodedRows: false);

        var splicedMedian = OneCore("spliced rows (default)", spliced, count);
        var wholeMedian = OneCore("whole-image encode", whole, count);
        AllCores(spliced, count * 2);

        var browserMedian = double.NaN;
        if (!args.Contains("--no-browser"))
        {
            browserMedian = await BrowserAsync(spec, browserCount);
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
        var ratio = browserMedian / splicedMedian;
        Console.WriteLine($"browser / spliced: {ratio:F0}×   (whole-image encode: {browserMedian / wholeMedian:F0}×)");
        var ok = splicedMedian <= 5 && (double.IsNaN(ratio) || ratio >= 20);
        Console.WriteLine(ok ? "goal met: ≤ 5 ms median and ≥ 20× faster than the browser" : "GOAL MISSED");
        return ok ? 0 : 1;
    }

    private static double OneCore(string label, CouponTemplate template, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            template.Render(Number(i));
        }

        var times = new double[count];
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            bytes += template.Render(Number(i)).Jpeg.Length;
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        var median = times[count / 2];
        Console.WriteLine($"one core, {label}: median {median:F2} ms, p90 {times[count * 9 / 10]:F2} ms, min {times[0]:F2} ms, mean size {bytes / count / 1000.0:F1} KB ({count} images)");
        return median;
    }

    private static void AllCores(CouponTemplate template, int count)
    {
        var start = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => template.Render(Number(i)));
        var seconds = start.Elapsed.TotalSeconds;
        Console.WriteLine($"all {Environment.ProcessorCount} cores, spliced rows: {count / seconds:F0} images/s ({count} images in {seconds:F2} s)");
    }

    private static async Task<double> BrowserAsync(CouponTemplateSpec spec, int count)
    {
        var executable = Environment.GetEnvironmentVariable("COUPONDESK_CHROMIUM") ?? "/usr/bin/chromium";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 720, Height = 1080 } });
        await page.SetContentAsync(CouponHtml.Page(spec));
        var options = new PageScreenshotOptions { Type = ScreenshotType.Jpeg, Quality = 90, Clip = new Clip { X = 0, Y = 0, Width = 720, Height = 1080 } };
        for (var i = 0; i < 5; i++)
        {
            await page.EvaluateAsync(CouponHtml.SetCouponScript(Number(i)));
            await page.ScreenshotAsync(options);
        }

        var times = new double[count];
        byte[] last = [];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await page.EvaluateAsync(CouponHtml.SetCouponScript(Number(i)));
            last = await page.ScreenshotAsync(options);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        var median = times[count / 2];
        var readable = JpegReader.ReadBarcode(last) == Number(count - 1) ? "barcode reads back" : "barcode NOT readable";
        Console.WriteLine($"headless Chromium ({executable}), DOM update + JPEG screenshot: median {median:F1} ms, p90 {times[count * 9 / 10]:F1} ms ({count} images; {readable})");
        return median;
    }

    private static string Number(int i) => $"9{i % 100_000_000_000:D11}";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
