using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace CouponDesk.Tests.Pipeline;

/// <summary>A redis-server child process on a free loopback port, no persistence; <see cref="Kill"/> sends SIGKILL, <see cref="RestartAsync"/> brings an empty one back.</summary>
public sealed class OwnRedis : IDisposable
{
    private readonly int port;
    private Process process;

    private OwnRedis(Process process, int port)
    {
        this.process = process;
        this.port = port;
        Configuration = $"127.0.0.1:{port}";
    }

    public string Configuration { get; }

    public static async Task<OwnRedis> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var redis = new OwnRedis(Launch(port), port);
        if (await redis.AnswersAsync())
        {
            return redis;
        }

        redis.Dispose();
        throw new InvalidOperationException("redis-server did not answer");
    }

    /// <summary>Starts a new, empty redis-server on the same port after <see cref="Kill"/> (Redis coming back).</summary>
    public async Task RestartAsync()
    {
        process.Dispose();
        process = Launch(port);
        if (!await AnswersAsync())
        {
            throw new InvalidOperationException("redis-server did not answer after the restart");
        }
    }

    private static Process Launch(int port)
    {
        var start = new ProcessStartInfo("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private async Task<bool> AnswersAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var mux = await ConnectionMultiplexer.ConnectAsync(Configuration);
                if (mux.IsConnected)
                {
                    return true;
                }
            }
            catch (RedisConnectionException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        return false;
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
