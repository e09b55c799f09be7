using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace CouponDesk.Tests.Pipeline;

/// <summary>A redis-server child process on a free loopback port, no persistence; <see cref="Kill"/> sends SIGKILL.</summary>
public sealed class OwnRedis : IDisposable
{
    private readonly Process process;

    private OwnRedis(Process process, int port)
    {
        this.process = process;
        Configuration = $"127.0.0.1:{port}";
    }

    public string Configuration { get; }

    public static async Task<OwnRedis> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var redis = new OwnRedis(process, port);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var mux = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
                if (mux.IsConnected)
                {
                    return redis;
                }
            }
            catch (RedisConnectionException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        redis.Dispose();
        throw new InvalidOperationException("redis-server did not answer");
    }

    /// <summary>SIGKILL (Process.Kill on Unix), as a crash would.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }
}
