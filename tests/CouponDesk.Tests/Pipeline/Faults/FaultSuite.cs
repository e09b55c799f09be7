using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CouponDesk.Tests.Alerts;
using Dapper;
using Xunit.Abstractions;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>
/// Issue 22's fault suite: each scenario is one real campaign against real MariaDB and the stand-ins, checked with
/// <see cref="PipelineWitness.AssertCommon"/> plus its own checks. The short form (a few hundred recipients, short
/// outages) runs in <c>scripts/test</c>; <c>scripts/test --faults-long</c> sets <c>COUPONDESK_FAULT_RECIPIENTS</c>
/// (20,000) and <c>COUPONDESK_FAULT_LONG=1</c> (the full outage and pause lengths) and collects one results row
/// per scenario in <c>COUPONDESK_FAULT_RESULTS</c> (docs/reliability.md). Waits poll with generous limits that grow with
/// the campaign's size; nothing asserts how long anything took.
/// </summary>
public static class FaultSuite
{
    public const string Category = "FaultSuite";

    /// <summary>Whether the long form runs (the 30 s outages, 10-minute pause, one-minute slow phase).</summary>
    public static bool LongForm => Environment.GetEnvironmentVariable("COUPONDESK_FAULT_LONG") == "1";

    /// <summary>The scenario's recipients: <paramref name="shortSize"/> unless the long suite sets its size.</summary>
    public static int Recipients(int shortSize) =>
        int.TryParse(Environment.GetEnvironmentVariable("COUPONDESK_FAULT_RECIPIENTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : shortSize;

    /// <summary>How long a whole campaign of <paramref name="recipients"/> may take on a loaded 2-core machine, plus <paramref name="faultSeconds"/>.</summary>
    public static int CampaignSeconds(int recipients, int faultSeconds = 0) => 240 + (recipients / 8) + faultSeconds;

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds (fails after <paramref name="seconds"/>).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("waited in vain for " + what);
    }

    /// <summary>One number from the harness's database; <c>@id</c> is <paramref name="id"/> (a campaign id).</summary>
    public static async Task<int> CountAsync(PipelineHarness h, string sql, long id)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>(sql, new { id });
    }

    /// <summary>The alerts of <paramref name="kind"/> the webhook received so far.</summary>
    public static List<JsonElement> AlertsOf(WebhookReceiver receiver, string kind) =>
        [.. receiver.Alerts.Where(a => a.GetProperty("kind").GetString() == kind)];

    /// <summary>
    /// Prints the scenario's results row and, when <c>COUPONDESK_FAULT_RESULTS</c> names a file, appends it there as a
    /// Markdown table row: scenario | recipients | coupons | messages | in-doubt | time | alerts raised.
    /// </summary>
    public static void Record(ITestOutputHelper output, string scenario, int recipients, PipelineWitness w, TimeSpan elapsed, string alerts)
    {
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {scenario} | {recipients:N0} | {w.CouponsStored:N0} | {w.Messages:N0} | {w.InDoubtOrders:N0} | {elapsed.TotalSeconds:N0} s | {alerts} |");
        output.WriteLine(row);
        output.WriteLine(w.ToString());
        if (Environment.GetEnvironmentVariable("COUPONDESK_FAULT_RESULTS") is { Length: > 0 } path)
        {
            lock (typeof(FaultSuite))
            {
                File.AppendAllText(path, row + Environment.NewLine);
            }
        }
    }
}
