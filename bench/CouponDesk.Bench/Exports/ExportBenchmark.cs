using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Bench.Pipeline;
using CouponDesk.Bench.Scale;
using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Bench.Exports;

/// <summary>
/// Issue 18 point 3: a 20,000-row 발송 상세 export, requested through the API and written in the background by a process
/// of its own with the <c>jobs</c> role (as in production), on the kept year of data of <c>load</c> (run that first: it
/// fills the database and keeps its keys). Prints the time from the request to READY, the file's size and the jobs
/// process's peak memory (VmHWM) before the request and after the file — goal: within the worker's 400 MB.
/// Usage: <c>export [--database cdb_year] [--server "…"]</c>.
/// </summary>
public sealed class ExportBenchmark : IBenchmark
{
    private const long GoalKb = 400 * 1024;

    public string Description => "a 20,000-row campaign detail export written in the background (goal: the jobs process <= 400 MB)";

    public async Task<int> RunAsync(string[] args)
    {
        var name = BenchHost.Option(args, "--database") ?? "cdb_year";
        var server = BenchHost.Option(args, "--server") ?? TestEnvironment.ServerConnectionString;
        Console.WriteLine(MachineInfo.Describe());
        var database = new TestDatabase(server, name);
        var scratch = TestSettings.NewScratchDirectory();
        await using var coufun = await CoufunStandInHost.StartAsync();
        var settings = PipelineBenchmark.Settings(database, scratch, coufun, 16, LoadBenchmark.KeptKeys(name));
        await using var backOffice = await LoopbackHost.StartAsync(a => CouponDeskHost.Build(a), [new("environment", "Testing"), .. settings]);
        var connections = backOffice.Services.GetRequiredService<DbConnectionFactory>();
        long campaignId;
        int items;
        await using (var c = await connections.OpenAsync())
        {
            (campaignId, items) = await c.QuerySingleOrDefaultAsync<(long, int)>(
                "SELECT cp.id, COUNT(*) FROM campaigns cp JOIN delivery_items d ON d.campaign_id = cp.id WHERE cp.status = 'COMPLETED' GROUP BY cp.id ORDER BY cp.id LIMIT 1");
        }

        if (campaignId == 0)
        {
            Console.WriteLine($"`{name}` has no completed campaign: run `load` first to fill it.");
            return 2;
        }

        var jobs = BackOfficeProcess.Start([.. settings, new("Serilog:MinimumLevel:Default", "Error"), new("Exports:GenerationIntervalSeconds", "1")], "jobs", PipelineBenchmark.BuiltConfiguration());
        try
        {
            await jobs.WaitUntilLiveAsync(TimeSpan.FromMinutes(2));
            await Task.Delay(TimeSpan.FromSeconds(5)); // its first job rounds, so the baseline is a running process's
            var baselineKb = ProcessStats.PeakKb(jobs.Process.Id);
            using var http = new HttpClient { BaseAddress = backOffice.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            var account = await TestAccounts.InsertAsync(connections, "OPERATOR");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CouponDeskFactory.LoginAsync(http, account.LoginId, account.Password));

            Console.WriteLine($"load average before: {ProcessStats.LoadAverage()}; campaign {campaignId} with {items:N0} items; jobs process peak so far {baselineKb / 1024} MB");
            var timer = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/campaigns/{campaignId}/export");
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            var accepted = await http.SendAsync(request);
            if (accepted.StatusCode != System.Net.HttpStatusCode.Accepted)
            {
                Console.WriteLine($"the request was answered {(int)accepted.StatusCode}, not 202: {await accepted.Content.ReadAsStringAsync()}");
                return 1;
            }

            var exportId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var peakKb = baselineKb;
            var status = "";
            int? rows = null;
            while (timer.Elapsed < TimeSpan.FromMinutes(10) && status is not ("READY" or "FAILED"))
            {
                await Task.Delay(200);
                peakKb = Math.Max(peakKb, ProcessStats.PeakKb(jobs.Process.Id));
                var mine = await http.GetFromJsonAsync<JsonElement>("/api/exports");
                var view = mine.EnumerateArray().First(v => v.GetProperty("id").GetInt64() == exportId);
                status = view.GetProperty("status").GetString() ?? "";
                rows = view.GetProperty("rowCount").ValueKind == JsonValueKind.Number ? view.GetProperty("rowCount").GetInt32() : null;
            }

            timer.Stop();
            var jobsCpu = ProcessStats.CpuSeconds(jobs.Process.Id);
            Console.WriteLine($"load average after: {ProcessStats.LoadAverage()}");
            if (status != "READY")
            {
                Console.WriteLine($"the export ended {status} after {timer.Elapsed.TotalSeconds:F1} s");
                return 1;
            }

            var file = await http.GetByteArrayAsync($"/api/exports/{exportId}/file");
            Console.WriteLine($"export READY after {timer.Elapsed.TotalSeconds:F1} s from the request: {rows:N0} rows, {file.Length / 1024:N0} KiB .xlsx");
            Console.WriteLine($"jobs process: peak {peakKb / 1024} MB (before the request {baselineKb / 1024} MB; goal <= {GoalKb / 1024} MB), {jobsCpu:F1} s CPU since its start");
            return peakKb <= GoalKb ? 0 : 1;
        }
        finally
        {
            await jobs.DisposeAsync();
            Directory.Delete(scratch, recursive: true);
        }
    }
}
