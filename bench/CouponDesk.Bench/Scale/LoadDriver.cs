using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Data;
using CouponDesk.TestSupport;

namespace CouponDesk.Bench.Scale;

/// <summary>
/// Closed-loop virtual users over the back office's HTTP API: each user has its own account and session, and loops
/// without think time over a weighted mix of what operators and C/S do (the dashboard, 발송조회 with filters and a
/// second page, a campaign's detail, progress, exchange rate and item pages, C/S searches by phone and by coupon
/// number). Latencies are recorded per endpoint; any status other than 2xx is an error.
/// </summary>
public sealed class LoadDriver(Uri baseAddress, IReadOnlyList<YearOfData.Sample> samples, IReadOnlyList<long> campaignIds) : IDisposable
{
    private static readonly string[] ItemFilters = ["all", "unused", "failed", "used"];

    private readonly HttpClient http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly List<string> tokens = [];

    /// <summary>The mix: endpoint name, weight, and the request(s) one step makes.</summary>
    private (string Name, int Weight, Func<Random, Step, Task> Run)[] Mix => [
        ("dashboard", 1, (r, s) => s.GetAsync("dashboard", r.Next(4) == 0 ? "/api/dashboard?period=7d" : "/api/dashboard?period=today")),
        ("campaign list", 3, ListCampaignsAsync),
        ("campaign detail", 2, (r, s) => s.GetAsync("campaign detail", $"/api/campaigns/{Campaign(r)}")),
        ("campaign progress", 1, (r, s) => s.GetAsync("campaign progress", $"/api/campaigns/{Campaign(r)}/pipeline/progress")),
        ("exchange rate", 1, (r, s) => s.GetAsync("exchange rate", $"/api/campaigns/{Campaign(r)}/exchange-rate")),
        ("campaign items", 3, ListItemsAsync),
        ("C/S by phone", 2, (r, s) => s.SendAsync("C/S by phone", HttpMethod.Post, "/api/cs/search", new { phone = samples[r.Next(samples.Count)].Phone })),
        ("C/S by coupon", 2, (r, s) => s.SendAsync("C/S by coupon", HttpMethod.Post, "/api/cs/search", new { couponNumber = samples[r.Next(samples.Count)].Coupon })),
    ];

    /// <summary>Creates <paramref name="users"/> OPERATOR accounts and signs each in through the real login endpoint.</summary>
    public async Task SignInAsync(DbConnectionFactory connections, int users)
    {
        for (var i = 0; i < users; i++)
        {
            var account = await TestAccounts.InsertAsync(connections, "OPERATOR");
            tokens.Add(await CouponDeskFactory.LoginAsync(http, account.LoginId, account.Password));
        }
    }

    public async Task<LoadResult> RunAsync(int users, TimeSpan duration)
    {
        var result = new LoadResult(duration);
        var mix = Mix;
        var table = mix.SelectMany(m => Enumerable.Repeat(m.Run, m.Weight)).ToArray();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, users).Select(u => Task.Run(async () =>
        {
            var random = new Random(u);
            var step = new Step(http, tokens[u % tokens.Count], result);
            while (!stop.IsCancellationRequested)
            {
                await table[random.Next(table.Length)](random, step);
            }
        })));
        return result;
    }

    public void Dispose() => http.Dispose();

    private long Campaign(Random r) => campaignIds[r.Next(campaignIds.Count)];

    private async Task ListCampaignsAsync(Random r, Step s)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        var filter = r.Next(4) switch
        {
            0 => "",
            1 => "&status=COMPLETED",
            2 => $"&from={today.AddDays(-30):yyyy-MM-dd}&to={today:yyyy-MM-dd}",
            _ => $"&clientName={Uri.EscapeDataString("고객사" + r.Next(37).ToString(CultureInfo.InvariantCulture))}",
        };
        var body = await s.GetAsync("campaign list", "/api/campaigns?limit=20" + filter);
        if (body is not null && r.Next(3) == 0 && body.RootElement.TryGetProperty("nextCursor", out var next) && next.GetString() is { } cursor)
        {
            await s.GetAsync("campaign list (page 2)", "/api/campaigns?limit=20" + filter + "&cursor=" + Uri.EscapeDataString(cursor));
        }
    }

    private async Task ListItemsAsync(Random r, Step s)
    {
        var path = $"/api/campaigns/{Campaign(r)}/items?limit=50&filter={ItemFilters[r.Next(ItemFilters.Length)]}";
        var body = await s.GetAsync("campaign items", path);
        if (body is not null && r.Next(3) == 0 && body.RootElement.TryGetProperty("nextCursor", out var next) && next.GetString() is { } cursor)
        {
            await s.GetAsync("campaign items (page 2)", path + "&cursor=" + Uri.EscapeDataString(cursor));
        }
    }

    /// <summary>One user's requests: its session token, and the shared result it records into.</summary>
    private sealed class Step(HttpClient http, string token, LoadResult result)
    {
        public Task<JsonDocument?> GetAsync(string name, string path) => SendAsync(name, HttpMethod.Get, path, null);

        public async Task<JsonDocument?> SendAsync(string name, HttpMethod method, string path, object? body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var timer = Stopwatch.StartNew();
            try
            {
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                timer.Stop();
                result.Record(name, timer.Elapsed.TotalMilliseconds, response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                return response.IsSuccessStatusCode && text.StartsWith('{') ? JsonDocument.Parse(text) : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                result.Record(name, timer.Elapsed.TotalMilliseconds, e.GetType().Name);
                return null;
            }
        }
    }
}

/// <summary>Latencies and errors per endpoint, and the goals of issue 21 checked against them.</summary>
public sealed class LoadResult(TimeSpan duration)
{
    private readonly Dictionary<string, List<double>> times = [];
    private readonly Dictionary<string, Dictionary<string, int>> errors = [];

    public void Record(string endpoint, double ms, string? error)
    {
        lock (times)
        {
            (times.TryGetValue(endpoint, out var list) ? list : times[endpoint] = []).Add(ms);
            if (error is not null)
            {
                var byKind = errors.TryGetValue(endpoint, out var e) ? e : errors[endpoint] = [];
                byKind[error] = byKind.GetValueOrDefault(error) + 1;
            }
        }
    }

    /// <summary>Prints the table; true when every goal is met.</summary>
    public bool Print()
    {
        var total = times.Values.Sum(t => t.Count);
        var errorCount = errors.Values.Sum(e => e.Values.Sum());
        var pass = true;
        Console.WriteLine("| Endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | errors | goal (p95 <= 50, p99 <= 200) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (endpoint, list) in times.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var sorted = list.Order().ToList();
            var p95 = Percentile(sorted, 0.95);
            var p99 = Percentile(sorted, 0.99);
            var failed = errors.TryGetValue(endpoint, out var e) ? string.Join(", ", e.Select(x => $"{x.Value} x {x.Key}")) : "0";
            var ok = p95 <= 50 && p99 <= 200 && failed == "0";
            pass &= ok;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {endpoint} | {sorted.Count:N0} | {Percentile(sorted, 0.5):F1} | {p95:F1} | {p99:F1} | {sorted[^1]:F1} | {failed} | {(ok ? "PASS" : "MISS")} |"));
        }

        var rate = total / duration.TotalSeconds;
        pass &= rate >= 200 && errorCount == 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {total:N0} requests in {duration.TotalSeconds:F0} s = {rate:F0} requests/s (goal >= 200), {errorCount} errors (goal 0) -> {(pass ? "PASS" : "MISS")}"));
        return pass;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
