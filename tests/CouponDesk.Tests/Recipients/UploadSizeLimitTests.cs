using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CouponDesk.Security;
using CouponDesk.Tests.Campaigns;

namespace CouponDesk.Tests.Recipients;

/// <summary>
/// The upload size limit against real Kestrel over a raw socket (the in-memory test server buffers whole request
/// bodies, and HttpClient hides an early answer): a 50 MB body is answered 413 long before it has all been sent.
/// </summary>
public sealed class UploadSizeLimitTests(UploadSizeLimitTests.KestrelFactory factory) : IClassFixture<UploadSizeLimitTests.KestrelFactory>
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    public sealed class KestrelFactory : CampaignTestFactory
    {
        public KestrelFactory() => UseKestrel(0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_50_MB_body_is_answered_413_before_it_is_sent(bool declareLength)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var address = client.BaseAddress!;

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /api/campaigns/{campaignId}/recipient-lists?fileName=big.csv HTTP/1.1\r\nHost: {address.Authority}\r\n" +
            $"Authorization: {client.DefaultRequestHeaders.Authorization}\r\nContent-Type: application/octet-stream\r\n" +
            (declareLength ? $"Content-Length: {FiftyMegabytes}\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        long sent = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)'1');
            var chunkHead = Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            try
            {
                while (Interlocked.Read(ref sent) < FiftyMegabytes && !stop.IsCancellationRequested)
                {
                    if (!declareLength)
                    {
                        await stream.WriteAsync(chunkHead, stop.Token);
                    }

                    await stream.WriteAsync(chunk, stop.Token);
                    if (!declareLength)
                    {
                        await stream.WriteAsync("\r\n"u8.ToArray(), stop.Token);
                    }

                    Interlocked.Add(ref sent, chunk.Length);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server stopped reading and closed the connection: expected.
            }
        });

        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var sentWhenAnswered = Interlocked.Read(ref sent);
        await stop.CancelAsync();
        tcp.Close();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 413", statusLine);
        Assert.True(sentWhenAnswered < 20L * 1024 * 1024, $"{sentWhenAnswered} bytes were sent before the answer");
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM recipient_lists WHERE campaign_id = @campaignId", new { campaignId }));
    }

    [Theory]
    [InlineData("/api/campaigns")]
    [InlineData("/api/campaigns/1/recipient-lists/quick")]
    public async Task An_oversized_json_form_is_answered_413(string path)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        await CampaignApi.CreateAsync(client);
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns");
        var address = client.BaseAddress!;
        var body = Encoding.UTF8.GetBytes("{\"clientName\":\"" + new string('a', 1024 * 1024) + "\",\"eventName\":\"x\"}");

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: {client.DefaultRequestHeaders.Authorization}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var writer = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // The server stopped reading: expected.
            }
        });
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        tcp.Close();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 413", statusLine);
        Assert.Equal(before, await factory.ScalarAsync<long>("SELECT COUNT(*) FROM campaigns"));
    }
}
