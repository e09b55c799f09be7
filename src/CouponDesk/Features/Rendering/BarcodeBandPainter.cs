using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// The per-coupon part (spec §6.2): Code 128 bars 140 px high in black on white, the number under them in groups of
/// four, and the optional stamp-duty line in small grey type at the bottom of the band. Not thread-safe: each thread
/// uses its own instance (it owns fonts and paints).
/// </summary>
internal sealed class BarcodeBandPainter : IDisposable
{
    public const int BarHeight = 140;
    public const float NumberSize = 26;
    public const int NumberGap = 6;
    public const float StampSize = 16;
    public const int StampBottomMargin = 8;

    public static readonly SKColor StampText = new(0x88, 0x88, 0x88);

    private readonly SKFont numberFont;
    private readonly SKFont stampFont;
    private readonly SKPaint white = new() { Color = SKColors.White, IsAntialias = false };
    private readonly SKPaint bars = new() { Color = SKColors.Black, IsAntialias = false };
    private readonly SKPaint numberPaint = new() { Color = SKColors.Black, IsAntialias = true };
    private readonly SKPaint stampPaint = new() { Color = StampText, IsAntialias = true };

    public BarcodeBandPainter(CouponFonts fonts)
    {
        numberFont = TextPainter.CreateFont(fonts.Regular, NumberSize);
        stampFont = TextPainter.CreateFont(fonts.Regular, StampSize);
    }

    /// <summary>
    /// The rows of <paramref name="band"/> this painter can change (bars at their highest, which is with a stamp-duty
    /// line, down to the bottom margin); the rest of the band stays as the template drew it.
    /// </summary>
    public static (int Top, int Bottom) ChangingRows(SKRectI band) => (BarsTop(band, hasStamp: true), band.Bottom - (StampBottomMargin / 2));

    private static int BarsTop(SKRectI band, bool hasStamp)
    {
        var stampLine = hasStamp ? (StampSize * TextPainter.LineSpacing) + StampBottomMargin : 0;
        var blockHeight = BarHeight + NumberGap + (NumberSize * TextPainter.LineSpacing);
        return band.Top + (int)MathF.Round((band.Height - stampLine - blockHeight) / 2);
    }

    /// <summary>Clears <paramref name="band"/> to white and draws the coupon's bars, number and stamp-duty line into it.</summary>
    public void Paint(SKCanvas canvas, SKRectI band, Code128Bars code, string printedNumber, string? stampDuty)
    {
        canvas.Save();
        canvas.ClipRect(band);
        // Keep the band's top separator row; everything below it belongs to the barcode.
        canvas.DrawRect(new SKRect(band.Left, band.Top + 1, band.Right, band.Bottom), white);

        var hasStamp = !string.IsNullOrEmpty(stampDuty);
        var stampLine = hasStamp ? (StampSize * TextPainter.LineSpacing) + StampBottomMargin : 0;
        var numberLine = NumberSize * TextPainter.LineSpacing;
        var barsTop = BarsTop(band, hasStamp);
        DrawBars(canvas, code, band, barsTop);

        var numberBox = new SKRect(band.Left, barsTop + BarHeight + NumberGap, band.Right, barsTop + BarHeight + NumberGap + numberLine);
        TextPainter.DrawCentred(canvas, [new TextPainter.Line(printedNumber, numberFont, numberPaint)], numberBox);
        if (hasStamp)
        {
            var stampBox = new SKRect(band.Left, band.Bottom - stampLine, band.Right, band.Bottom - StampBottomMargin);
            TextPainter.DrawCentred(canvas, [new TextPainter.Line(stampDuty!, stampFont, stampPaint)], stampBox);
        }

        canvas.Restore();
    }

    /// <summary>Whole-pixel bars, centred: every edge on a pixel boundary, so there is no grey anti-aliased edge to misread.</summary>
    private void DrawBars(SKCanvas canvas, Code128Bars code, SKRectI band, int top)
    {
        var modules = code.Modules;
        var x = band.Left + ((band.Width - code.BarsWidth) / 2);
        var i = 0;
        while (i < modules.Length)
        {
            var run = 1;
            while (i + run < modules.Length && modules[i + run] == modules[i])
            {
                run++;
            }

            if (modules[i])
            {
                canvas.DrawRect(SKRect.Create(x + (i * code.ModuleWidth), top, run * code.ModuleWidth, BarHeight), bars);
            }

            i += run;
        }
    }

    public void Dispose()
    {
        numberFont.Dispose();
        stampFont.Dispose();
        white.Dispose();
        bars.Dispose();
        numberPaint.Dispose();
        stampPaint.Dispose();
    }
}
