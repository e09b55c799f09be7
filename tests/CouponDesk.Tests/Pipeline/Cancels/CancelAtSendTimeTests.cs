using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Features.Coupons;
using CouponDesk.Tests.Pipeline.Resends;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Cancels;

/// <summary>
/// Issue 24's race test: campaigns are cancelled — or paused and resumed at once — at their send time −1 s, +0.3 s, +1 s
/// and +3 s while the SNAP stand-in polls with its real claim (<c>LIMIT 1000 … FOR UPDATE SKIP LOCKED</c>). The timing only
/// makes the interleavings likely; what is asserted holds for every interleaving: every item ends final, no cancelled
/// item has a delivery in the stand-in's ledger, every delivery belongs to an item that is not cancelled, no recipient
/// got a message twice, every cancelled item's coupon is cancelled in the COUFUN stand-in's ledger, and the cancel's
/// answer agrees with what happened. Short form here (one round, 40 recipients per campaign); the long form is the same
/// test with <c>COUPONDESK_CANCEL_RACE_ROUNDS</c> / <c>COUPONDESK_CANCEL_RACE_RECIPIENTS</c> raised (docs/benchmarks.md).
/// </summary>
public sealed class CancelAtSendTimeTests(ITestOutputHelper output)
{
    private static readonly double[] Offsets = [-1, 0.3, 1, 3];
    private static readonly string[] FinalCampaign = ["CANCELLED", "COMPLETED", "PARTIALLY_FAILED", "FAILED"];

    private static int Rounds => Setting("COUPONDESK_CANCEL_RACE_ROUNDS", 1);

    private static int Recipients => Setting("COUPONDESK_CANCEL_RACE_RECIPIENTS", 40);

    private sealed record Run(long Id, string Action, double Offset, int Round)
    {
        public string Answer { get; set; } = "";

        public JsonElement? Body { get; set; }
    }

    [Fact(Timeout = 1_800_000)]
    public async Task Cancels_and_pauses_around_the_send_time_never_deliver_a_cancelled_item_nor_one_twice()
    {
        await using var h = await PipelineHarness.StartAsync(extra: [.. AfterSendKit.FastSettings, new("CouponCancels:BestEffortGraceSeconds", "1")]);
        using var client = await AfterSendKit.OperatorAsync(h);
        var runs = new List<Run>();
        for (var round = 0; round < Rounds; round++)
        {
            runs.AddRange(await RoundAsync(h, client, round));
        }

        foreach (var run in runs)
        {
            await h.WaitForAsync(run.Id, 120 + Recipients / 10, FinalCampaign);
        }

        var numbers = h.BackOffice.Services.GetRequiredService<CouponRepository>();
        foreach (var run in runs)
        {
            await CheckAsync(h, numbers, run);
        }

        foreach (var group in runs.GroupBy(r => (r.Action, r.Offset)))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.Action} at {group.Key.Offset:+0.0;-0.0} s: {string.Join(", ", group.GroupBy(r => r.Answer).Select(a => $"{a.Key} ×{a.Count()}"))}"));
        }
    }

    /// <summary>One campaign per offset for cancel and one for pause + resume, all with the same send time; then the actions at their moments.</summary>
    private async Task<List<Run>> RoundAsync(PipelineHarness h, HttpClient client, int round)
    {
        var campaigns = Offsets.Length * 2;
        var now = DateTime.UtcNow;
        // A whole second (REQ_DATE has whole seconds), far enough ahead for every campaign to be queued before −1 s.
        var sendAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(8 + (campaigns * Recipients / 50));
        var runs = new List<Run>();
        for (var i = 0; i < campaigns; i++)
        {
            var firstPhone = 1 + (((round * campaigns) + i) * Recipients);
            var id = await h.ScheduleCampaignAsync(Recipients, firstPhone, sendAt);
            runs.Add(new Run(id, i < Offsets.Length ? "cancel" : "pause+resume", Offsets[i % Offsets.Length], round));
        }

        var ids = runs.Select(r => r.Id).ToArray();
        while (DateTime.UtcNow < sendAt.AddSeconds(-1.5) && await AfterSendKit.ScalarAsync<long>(h,
                   "SELECT COUNT(*) FROM delivery_items WHERE campaign_id IN @ids AND status = 'QUEUED'", new { ids }) < campaigns * Recipients)
        {
            await Task.Delay(100);
        }

        var queued = await AfterSendKit.ScalarAsync<long>(h, "SELECT COUNT(*) FROM delivery_items WHERE campaign_id IN @ids AND status = 'QUEUED'", new { ids });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {queued} of {campaigns * Recipients} items queued {(sendAt - DateTime.UtcNow).TotalSeconds:0.0} s before the send time"));
        await Task.WhenAll(runs.Select(run => ActAsync(client, run, sendAt)));
        return runs;
    }

    private static async Task ActAsync(HttpClient client, Run run, DateTime sendAt)
    {
        var wait = sendAt.AddSeconds(run.Offset) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var url = $"/api/campaigns/{run.Id}/pipeline/";
        if (run.Action == "cancel")
        {
            var response = await client.PostAsJsonAsync(url + "cancel", new { reason = "발송 시각 취소 시험" });
            var answer = await BodyAsync(response) ?? default;
            run.Body = answer;
            run.Answer = response.StatusCode == HttpStatusCode.OK
                ? answer.GetProperty("whole").GetBoolean() ? "whole" : "partial"
                : $"{(int)response.StatusCode} {(answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("code", out var code) ? code.GetString() : "")}";
            // A refusal may only say that the agent has everything or that the campaign finished — never a 5xx.
            Assert.True(response.StatusCode == HttpStatusCode.OK || run.Answer is "409 NOTHING_UNSENT" or "409 CAMPAIGN_FINISHED", $"campaign {run.Id}: {run.Answer}");
            return;
        }

        var pause = await client.PostAsync(url + "pause", null);
        var body = await BodyAsync(pause);
        if (pause.StatusCode != HttpStatusCode.OK)
        {
            // Too late to pause: the campaign finished already.
            Assert.Equal("CAMPAIGN_NOT_RUNNING", body?.GetProperty("code").GetString());
            run.Answer = "not running";
            return;
        }

        var resume = await client.PostAsync(url + "resume", null);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        run.Answer = "paused and resumed";
    }

    private static async Task<JsonElement?> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task CheckAsync(PipelineHarness h, CouponRepository numbers, Run run)
    {
        var id = run.Id;
        var what = string.Create(CultureInfo.InvariantCulture, $"campaign {id} ({run.Action} at {run.Offset} s, round {run.Round}, {run.Answer})");
        await using var c = await h.Database.OpenAsync();
        var items = (await c.QueryAsync<(long Id, string Status, long? Coupon)>(
            "SELECT id, status, coupon_id FROM delivery_items WHERE campaign_id = @id", new { id })).ToList();
        Assert.Equal(Recipients, items.Count);
        Assert.All(items, i => Assert.True(i.Status is "SENT" or "CANCELLED", $"{what}: item {i.Id} ended {i.Status}"));

        // Deliveries by the agent's own ledger, over every message ever written for the item (withdrawn ones included).
        var deliveries = (await c.QueryAsync<(long Item, string ItemStatus, string MessageStatus, int Delivered)>(
            """
            SELECT d.id, d.status, m.status, CAST(l.deliver_count AS SIGNED) FROM snapstandin_deliveries l
            JOIN messages m ON m.client_key = l.client_key COLLATE utf8mb4_unicode_ci
            JOIN delivery_items d ON d.id = m.recipient_id AND d.campaign_id = m.campaign_id
            WHERE m.campaign_id = @id
            """, new { id })).ToList();
        Assert.All(deliveries, d => Assert.True(d.ItemStatus != "CANCELLED", $"{what}: cancelled item {d.Item} was delivered"));
        Assert.All(deliveries, d => Assert.True(d.MessageStatus != "WITHDRAWN", $"{what}: a withdrawn message of item {d.Item} was delivered"));
        var perItem = deliveries.GroupBy(d => d.Item).ToDictionary(g => g.Key, g => g.Sum(d => d.Delivered));
        Assert.All(items.Where(i => i.Status == "SENT"), i => Assert.True(perItem.GetValueOrDefault(i.Id) == 1, $"{what}: item {i.Id} delivered {perItem.GetValueOrDefault(i.Id)} times"));

        // Every cancelled item's coupon is cancelled where it was bought.
        foreach (var item in items.Where(i => i.Status == "CANCELLED" && i.Coupon is not null))
        {
            var number = await numbers.RevealNumberAsync(item.Coupon!.Value);
            var found = await h.Coufun.Client.PostAsJsonAsync("_control/coupons/find", new { barcodeNum = number });
            found.EnsureSuccessStatusCode();
            var status = (await BodyAsync(found))!.Value.GetProperty("status").GetString();
            Assert.True(status == "100", $"{what}: the coupon of cancelled item {item.Id} is {status} at COUFUN");
        }

        var sent = items.Count(i => i.Status == "SENT");
        var cancelled = items.Count(i => i.Status == "CANCELLED");
        if (run.Action != "cancel")
        {
            Assert.True(cancelled == 0, $"{what}: {cancelled} items cancelled by a pause");
            return;
        }

        if (run.Body is { } body && run.Answer is "whole" or "partial")
        {
            // The answer agrees with what happened: what the agent had went on, what it had not was cancelled.
            Assert.True(body.GetProperty("takenByAgent").GetInt32() + body.GetProperty("alreadyFinished").GetInt32() == sent, $"{what}: answer {body}, {sent} sent");
            Assert.True(body.GetProperty("cancelledItems").GetInt32() <= cancelled, $"{what}: answer {body}, {cancelled} cancelled");
            Assert.Equal(run.Answer == "whole", sent == 0);
            Assert.Equal(sent == 0 ? "CANCELLED" : "COMPLETED", await h.StatusAsync(id));
        }
        else
        {
            Assert.True(cancelled == 0, $"{what}: refused, yet {cancelled} items cancelled");
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
