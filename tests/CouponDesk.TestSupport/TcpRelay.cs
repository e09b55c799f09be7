using System.Net;
using System.Net.Sockets;

namespace CouponDesk.TestSupport;

/// <summary>
/// A loopback TCP relay in front of a server (MariaDB), so a test can take the server away from a process and give it
/// back: <see cref="Cut"/> closes every relayed connection and refuses new ones, <see cref="Restore"/> accepts again on the same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private TcpListener listener;
    private CancellationTokenSource running = new();

    public TcpRelay(int targetPort)
    {
        target = new IPEndPoint(IPAddress.Loopback, targetPort);
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync(listener, running.Token);
    }

    public int Port { get; }

    public void Cut()
    {
        running.Cancel();
        listener.Stop();
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }

            open.Clear();
        }
    }

    public void Restore()
    {
        running = new CancellationTokenSource();
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener, running.Token);
    }

    private async Task AcceptAsync(TcpListener from, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await from.AcceptTcpClientAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested || !from.Server.IsBound)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(target, ct);
            }
            catch (Exception)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (open)
            {
                open.Add(inbound);
                open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception)
        {
            // the other side or Cut() closed it
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
