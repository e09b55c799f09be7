using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CouponDesk.Web.Metrics;

/// <summary>
/// CouponDesk's own instruments (meter <c>CouponDesk</c>), exported at <c>/metrics</c> with .NET's ASP.NET Core, HTTP
/// client and runtime meters. Static, like .NET's own meters: the places that count do not need one more dependency.
/// Prometheus names: <c>coupondesk_coupons_issued_total</c>, <c>coupondesk_coufun_call_duration_seconds</c> …
/// Tags never carry personal data.
/// </summary>
public static class CouponDeskMetrics
{
    public const string MeterName = "CouponDesk";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> CouponsIssued = Meter.CreateCounter<long>("coupondesk.coupons.issued", "{coupon}", "Coupons bought from COUFUN and stored");
    private static readonly Counter<long> CouponsFailed = Meter.CreateCounter<long>("coupondesk.coupons.failed", "{item}", "Recipients whose coupon could not be issued (ISSUE_FAILED)");
    private static readonly Histogram<double> CoufunCalls = Meter.CreateHistogram<double>("coupondesk.coufun.call.duration", "s", "COUFUN B2C calls by API and outcome");
    private static readonly Counter<long> MessagesQueued = Meter.CreateCounter<long>("coupondesk.messages.queued", "{message}", "MMS handed to the SNAP agent (UMS_MSG rows)");
    private static readonly Counter<long> Results = Meter.CreateCounter<long>("coupondesk.delivery.results", "{message}", "Final delivery results by DONE_CODE class");
    private static readonly Histogram<double> ImageRender = Meter.CreateHistogram<double>("coupondesk.image.render.duration", "s", "Drawing and staging one coupon image");
    private static readonly Counter<long> ImageFailures = Meter.CreateCounter<long>("coupondesk.image.failures", "{image}", "Coupon images that could not be drawn");
    private static readonly Counter<long> AlertsSent = Meter.CreateCounter<long>("coupondesk.alerts.sent", "{alert}", "Operations alerts posted to the webhook, by kind");

    public static void OrderFinished(int issued, int failed)
    {
        if (issued > 0)
        {
            CouponsIssued.Add(issued);
        }

        if (failed > 0)
        {
            CouponsFailed.Add(failed);
        }
    }

    public static void CoufunCall(string api, string outcome, TimeSpan elapsed) =>
        CoufunCalls.Record(elapsed.TotalSeconds, new("api", api), new("outcome", outcome));

    public static void Queued(int messages) => MessagesQueued.Add(messages);

    public static void Result(string doneClass) => Results.Add(1, new KeyValuePair<string, object?>("class", doneClass));

    public static void ImageRendered(long startedTimestamp) => ImageRender.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);

    public static void ImageFailed() => ImageFailures.Add(1);

    public static void AlertSent(string kind) => AlertsSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Gauges read from <see cref="PipelineGauges"/>' last sample.</summary>
    internal static void ObserveGauges(PipelineGauges gauges)
    {
        Meter.CreateObservableGauge("coupondesk.pipeline.backlog", () => gauges.Backlog.Select(b => new Measurement<long>(b.Value, new KeyValuePair<string, object?>("stage", b.Key))),
            "{item}", "Recipients of running campaigns waiting in each pipeline stage");
        Meter.CreateObservableGauge("coupondesk.indoubt.open", () => gauges.OpenInDoubt, "{order}", "Open in-doubt COUFUN orders (발급 확인 필요)");
    }
}
