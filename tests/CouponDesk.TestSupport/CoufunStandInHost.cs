using System.Net.Http.Json;
using System.Text;
using CouponDesk.CoufunStandIn;
using CouponDesk.Shared.Text;

namespace CouponDesk.TestSupport;

/// <summary>
/// The COUFUN stand-in on a loopback port with its own fresh database (dropped at the end), plus helpers for its
/// B2C endpoints (raw bytes) and its control API.
/// </summary>
public sealed class CoufunStandInHost : IAsyncDisposable
{
    private CoufunStandInHost(TestDatabase database, LoopbackHost host)
    {
        Database = database;
        Host = host;
        Client = host.CreateClient();
    }

    public TestDatabase Database { get; }

    public LoopbackHost Host { get; }

    /// <summary>A client on the stand-in's root (for /b2c_api/… and /_control/…).</summary>
    public HttpClient Client { get; }

    /// <summary>The value for <c>Coufun:BaseUrl</c>.</summary>
    public string BaseUrl => new Uri(Host.BaseAddress, "b2c_api/").ToString();

    public static async Task<CoufunStandInHost> StartAsync(params KeyValuePair<string, string?>[] settings)
    {
        var database = new TestDatabase();
        var host = await LoopbackHost.StartAsync(CoufunStandInApp.Build,
        [
            new("StandIn:ConnectionString", database.ConnectionString),
            new("StandIn:PocId", "TESTPOC01"),
            new("StandIn:PushPollInterval", "00:00:00.200"),
            new("StandIn:PushRetryInterval", "00:00:01"),
            new("Serilog:MinimumLevel:Default", "Warning"),
            .. settings,
        ]);
        return new CoufunStandInHost(database, host);
    }

    /// <summary>POSTs form parameters (ASCII) to a B2C endpoint and returns the raw answer.</summary>
    public Task<HttpResponseMessage> PostAsync(string endpoint, string form) =>
        Client.PostAsync("b2c_api/" + endpoint, new ByteArrayContent(Encoding.ASCII.GetBytes(form)) { Headers = { { "Content-Type", "application/x-www-form-urlencoded" } } });

    /// <summary>The answer body decoded as CP949.</summary>
    public static async Task<string> TextAsync(HttpResponseMessage response) =>
        KoreanEncoding.Cp949.GetString(await response.Content.ReadAsByteArrayAsync());

    public async Task SetFaultsAsync(object faults) =>
        (await Client.PutAsJsonAsync("_control/faults", faults)).EnsureSuccessStatusCode();

    public async Task ClearFaultsAsync() => (await Client.DeleteAsync("_control/faults")).EnsureSuccessStatusCode();

    public async Task<TrIdCountersDto> CountersAsync(string trId) =>
        (await Client.GetFromJsonAsync<TrIdCountersDto>($"_control/tr-ids/{trId}"))!;

    public async Task<HttpResponseMessage> CouponEventAsync(string kind, string barcodeNum, int? amount = null) =>
        await Client.PostAsJsonAsync($"_control/coupons/{kind}", new { barcodeNum, amount });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed record TrIdCountersDto(string TrId, int Calls, bool Consumed, string? LastCode, int Orders, int Coupons, int ResponsesDropped);
