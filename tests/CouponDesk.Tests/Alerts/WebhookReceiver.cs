using System.Collections.Concurrent;
using System.Text.Json;
using CouponDesk.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Alerts;

/// <summary>
/// A Slack-style incoming webhook on a loopback port: records every POST body (as received, before answering), can
/// answer the first N requests with HTTP 500, or stall every request (a hung receiver).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> received = new();
    private int failuresLeft;

    private WebhookReceiver(int failFirst, bool stall)
    {
        failuresLeft = failFirst;
        Stall = stall;
    }

    public bool Stall { get; }

    public LoopbackHost Host { get; private set; } = null!;

    public string Url => new Uri(Host.BaseAddress, "hook/T000/B000/secret").ToString();

    /// <summary>Raw bodies in arrival order (retries included).</summary>
    public IReadOnlyList<string> Bodies => [.. received];

    /// <summary>Parsed bodies.</summary>
    public IReadOnlyList<JsonElement> Alerts => [.. received.Select(b => JsonDocument.Parse(b).RootElement)];

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, bool stall = false)
    {
        var receiver = new WebhookReceiver(failFirst, stall);
        receiver.Host = await LoopbackHost.StartAsync(receiver.Build, [new("Logging:LogLevel:Default", "Warning")]);
        return receiver;
    }

    private WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRouting();
        var app = builder.Build();
        app.MapPost("/hook/{**rest}", async (HttpRequest request, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            received.Enqueue(await reader.ReadToEndAsync(ct));
            if (Stall)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(500) : Results.Ok("ok");
        });
        return app;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the received alerts (fails after 30 s).</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(Func<IReadOnlyList<JsonElement>, bool> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            var alerts = Alerts;
            if (condition(alerts))
            {
                return alerts;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"webhook never received {what}; got: {string.Join(" | ", Bodies)}");
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
