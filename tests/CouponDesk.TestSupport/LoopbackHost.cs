using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.TestSupport;

/// <summary>
/// Runs a real Kestrel host (a stand-in, or the back office when a test needs real sockets) on a free loopback port.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private LoopbackHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Builds the host with <paramref name="build"/> (given command-line style settings) and starts it on 127.0.0.1 with a free port.</summary>
    public static async Task<LoopbackHost> StartAsync(Func<string[], WebApplication> build, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var args = settings.Select(s => $"--{s.Key}={s.Value}").Append("--urls=http://127.0.0.1:0").ToArray();
        var app = build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
