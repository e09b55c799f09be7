using System.Net;
using System.Net.Sockets;
using CouponDesk.Tests.Pipeline;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// Issue 19: after a campaign ran, <c>/metrics</c> has .NET's and CouponDesk's series (with issue 23's adaptive order
/// size); others than the allowlist get 404.
/// </summary>
public sealed class MetricsScrapeTests
{
    [Fact]
    public async Task A_scrape_after_a_campaign_finds_the_pipeline_series_and_a_stranger_finds_nothing()
    {
        await using var h = await PipelineHarness.StartAsync();
        var id = await h.ScheduleCampaignAsync(6);
        Assert.Equal("COMPLETED", await h.WaitForAsync(id, 120, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));

        using var scraper = h.BackOffice.CreateClient();
        var text = await scraper.GetStringAsync("/metrics");
        foreach (var series in new[]
        {
            "coupondesk_coupons_issued_total", "coupondesk_coufun_call_duration_seconds_bucket{", "api=\"coufunCreate.do\"", "outcome=\"Success\"",
            "coupondesk_messages_queued_total", "coupondesk_delivery_results_total{", "class=\"Success\"", "coupondesk_image_render_duration_seconds_count",
            "coupondesk_pipeline_backlog{", "stage=\"PENDING\"", "coupondesk_indoubt_open", "coupondesk_issuance_coupons_per_call", "http_server_request_duration_seconds_bucket", "dotnet_gc_collections_total",
        })
        {
            Assert.Contains(series, text);
        }

        using var stranger = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = h.BackOffice.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/metrics")).StatusCode);
    }
}
