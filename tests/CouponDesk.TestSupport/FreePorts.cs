using System.Net;
using System.Net.Sockets;

namespace CouponDesk.TestSupport;

public static class FreePorts
{
    /// <summary>A loopback TCP port nobody listens on right now (the kernel's choice).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
