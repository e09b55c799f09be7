using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CouponDesk.Hosting;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// The back office on Kestrel behind a real Nginx (Debian's package) running <c>deploy/nginx/coupondesk.conf</c> with only
/// ports, paths and addresses replaced, TLS with a self-signed certificate. Loopback addresses stand for the machines:
/// Nginx connects to Kestrel from <see cref="ProxyAddress"/>, the browser is <see cref="ClientAddress"/>, COUFUN is
/// <see cref="CoufunAddress"/>, so the back office can only see a client's address if it reads the forwarded header.
/// </summary>
public sealed class NginxFront : IAsyncLifetime
{
    public static readonly IPAddress ProxyAddress = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.3");
    public static readonly IPAddress CoufunAddress = IPAddress.Parse("127.0.0.4");
    /// <summary>Let through by Nginx's push allowlist but not the back office's: proves the back office checks the client, not Nginx.</summary>
    public static readonly IPAddress NginxOnlyAddress = IPAddress.Parse("127.0.0.5");

    private readonly string directory = Directory.CreateTempSubdirectory("cd-nginx-").FullName;
    private Process? nginx;
    private X509Certificate2? certificate;

    public TestDatabase Database { get; } = new();

    public LoopbackHost BackOffice { get; private set; } = null!;

    public Uri HttpsBase { get; private set; } = null!;

    public Uri HttpBase { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.MigrateAsync();
        BackOffice = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(Database, Path.Combine(directory, "scratch")),
            new("webroot", RepositoryPaths.Path("src", "CouponDesk", "wwwroot")),
            new("Web:ForwardedHeaders:Enabled", "true"),
            new("Web:ForwardedHeaders:KnownProxies:0", ProxyAddress.ToString()),
            new("Coufun:ExchangePush:AllowedSources:0", CoufunAddress.ToString()),
        ]);

        await ExternalCommand.RunAsync("openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=coupondesk.test",
             "-addext", "subjectAltName=DNS:coupondesk.test,IP:127.0.0.1",
             "-keyout", Path.Combine(directory, "privkey.pem"), "-out", Path.Combine(directory, "fullchain.pem")])
            .ContinueWith(t => t.Result.EnsureSuccess("openssl req"));
        certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, "fullchain.pem"));

        var httpPort = FreePorts.Next();
        var httpsPort = FreePorts.Next();
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}/");
        HttpsBase = new Uri($"https://127.0.0.1:{httpsPort}/");
        await File.WriteAllTextAsync(Path.Combine(directory, "coufun-push-allow.conf"), $"allow {CoufunAddress};\nallow {NginxOnlyAddress};\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "site.conf"), RenderSite(httpPort, httpsPort, BackOffice.BaseAddress.Port));
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), MainConfig());
        foreach (var temp in new[] { "cache", "body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(directory, temp));
        }

        (await ExternalCommand.RunAsync(Nginx, ["-t", "-p", directory, "-c", Path.Combine(directory, "nginx.conf")])).EnsureSuccess("nginx -t");
        nginx = Process.Start(new ProcessStartInfo(Nginx, ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        nginx.BeginErrorReadLine();
        nginx.BeginOutputReadLine();
        for (var i = 0; i < 200 && !await AcceptsAsync(httpsPort); i++)
        {
            await Task.Delay(50);
        }
    }

    private static string Nginx => ExternalCommand.Find("nginx") ?? throw new InvalidOperationException("nginx is not installed (scripts/test installs it)");

    /// <summary>An HTTP client that connects from <paramref name="from"/> and trusts exactly the test certificate.</summary>
    public HttpClient ClientFrom(IPAddress from, Uri? baseAddress = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate!.GetCertHashString(),
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress ?? HttpsBase, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The deployed file with only what a test machine must change; each replaced line must exist exactly once.</summary>
    private string RenderSite(int httpPort, int httpsPort, int backendPort)
    {
        var site = File.ReadAllText(RepositoryPaths.Path("deploy", "nginx", "coupondesk.conf"));
        (string From, string To)[] replacements =
        [
            ("proxy_cache_path /var/cache/nginx/coupondesk ", $"proxy_cache_path {directory}/cache "),
            ("server 127.0.0.1:5000;", $"server 127.0.0.1:{backendPort};"),
            ("    listen 80;\n", $"    listen 127.0.0.1:{httpPort};\n"),
            ("    listen [::]:80;\n", ""),
            ("    listen 443 ssl http2;\n", $"    listen 127.0.0.1:{httpsPort} ssl http2;\n"),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("/etc/ssl/coupondesk/fullchain.pem", Path.Combine(directory, "fullchain.pem")),
            ("/etc/ssl/coupondesk/privkey.pem", Path.Combine(directory, "privkey.pem")),
            ("include /etc/nginx/coupondesk/coufun-push-allow.conf;", $"include {Path.Combine(directory, "coufun-push-allow.conf")};"),
            // Nginx reaches Kestrel from its own address here, as it would from another host.
            ("    proxy_http_version 1.1;\n", $"    proxy_http_version 1.1;\n    proxy_bind {ProxyAddress};\n"),
        ];
        foreach (var (from, to) in replacements)
        {
            var count = site.Split(from).Length - 1;
            Assert.True(count == 1, $"deploy/nginx/coupondesk.conf changed: expected '{from.Trim()}' once, found it {count} times");
            site = site.Replace(from, to, StringComparison.Ordinal);
        }

        return site;
    }

    private string MainConfig() =>
        $$"""
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 256; }
        http {
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            access_log {{directory}}/access.log;
            client_body_temp_path {{directory}}/body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            include {{directory}}/site.conf;
        }
        """;


    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (nginx is { HasExited: false })
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
        }

        nginx?.Dispose();
        certificate?.Dispose();
        await BackOffice.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
