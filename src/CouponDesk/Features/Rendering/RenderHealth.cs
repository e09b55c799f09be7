using System.Globalization;
using CouponDesk.Features.Alerts;

namespace CouponDesk.Features.Rendering;

/// <summary>
/// Spec §5.9 "image generation failure rate &gt; 5 %, average generation time &gt; 3 s", per process over a sliding
/// window (<see cref="AlertsOptions.ImageWindowMinutes"/>): every coupon render (draw + stage) is recorded, and after each
/// batch <see cref="CheckAsync"/> raises <c>image.failures</c> or <c>image.slow</c> when the window holds enough renders
/// (<see cref="AlertsOptions.ImageMinSamples"/>) and crosses a limit. The throttle keeps it to one alert per window.
/// </summary>
public sealed class RenderHealth(AlertsOptions options, IOperationsAlerts alerts, TimeProvider time)
{
    private readonly Queue<(long At, bool Ok, double Seconds)> window = new();
    private readonly Lock gate = new();

    public sealed record Figures(int Renders, int Failures, double MeanSeconds)
    {
        public double FailurePercent => Renders == 0 ? 0 : 100.0 * Failures / Renders;
    }

    /// <summary>One render: <paramref name="ok"/> false when it failed; <paramref name="seconds"/> from start to staged (or failure).</summary>
    public void Record(bool ok, double seconds)
    {
        lock (gate)
        {
            window.Enqueue((time.GetTimestamp(), ok, seconds));
            Trim();
        }
    }

    /// <summary>The window's figures now.</summary>
    public Figures Current()
    {
        lock (gate)
        {
            Trim();
            var renders = window.Count;
            return new Figures(renders, window.Count(r => !r.Ok), renders == 0 ? 0 : window.Average(r => r.Seconds));
        }
    }

    /// <summary>Raises the alerts the window calls for; returns the figures it judged.</summary>
    public async Task<Figures> CheckAsync(CancellationToken ct)
    {
        var figures = Current();
        if (figures.Renders < options.ImageMinSamples)
        {
            return figures;
        }

        if (figures.FailurePercent > options.ImageFailurePercent)
        {
            await alerts.RaiseAsync(new OperationsAlert(
                "image.failures",
                string.Create(CultureInfo.InvariantCulture,
                    $"쿠폰 이미지 생성 실패율 {figures.FailurePercent:F1}% (최근 {options.ImageWindowMinutes}분 {figures.Renders:N0}건 중 {figures.Failures:N0}건, 기준 {options.ImageFailurePercent}%). 실패한 수신자는 발송되지 않습니다. 서버 로그와 디스크·폰트 상태를 확인해 주세요."),
                AlertSeverity.Critical,
                "image:failures"), ct);
        }

        if (figures.MeanSeconds > options.ImageMeanSeconds)
        {
            await alerts.RaiseAsync(new OperationsAlert(
                "image.slow",
                string.Create(CultureInfo.InvariantCulture,
                    $"쿠폰 이미지 생성 평균 {figures.MeanSeconds:F1}초 (최근 {options.ImageWindowMinutes}분 {figures.Renders:N0}건, 기준 {options.ImageMeanSeconds}초). 서버 부하나 저장소 속도를 확인해 주세요."),
                AlertSeverity.Warning,
                "image:slow"), ct);
        }

        return figures;
    }

    private void Trim()
    {
        var oldest = time.GetTimestamp() - (long)(options.ImageWindowMinutes * 60.0 * time.TimestampFrequency);
        while (window.Count > 0 && window.Peek().At < oldest)
        {
            window.Dequeue();
        }

        // Bounded whatever the rate: the newest 100,000 renders are plenty for a share and a mean.
        while (window.Count > 100_000)
        {
            window.Dequeue();
        }
    }
}
