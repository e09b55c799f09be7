using System.Text;
using System.Xml.Linq;
using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.Shared.Logging;
using CouponDesk.Shared.Text;
using Dapper;

namespace CouponDesk.CoufunStandIn.Push;

/// <summary>
/// Delivers queued exchange events to the back office: form-encoded in EUC-KR (spec §7.2), retried after
/// <see cref="StandInOptions.PushRetryInterval"/> until the reply's RESULTCODE is 00, up to
/// <see cref="StandInOptions.PushMaxAttempts"/>. Also performs the optional random uses. One stand-in process is
/// assumed (no claim locking).
/// </summary>
public sealed class PushDelivery(StandInDb db, StandInLedger ledger, CouponEvents events, StandInOptions options, IHttpClientFactory httpClients, ILogger<PushDelivery> logger) : BackgroundService
{
    public const string HttpClientName = "exchange-push";

    private static readonly string[] FieldOrder = ["BARCODE_NUM", "EXCHANGE_NUM", "STATUS", "EXCHANGE_DATE", "BRANCH_NAME", "BRANCH_CODE", "BARCODE_TYPE", "PRICE", "BALANCE"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PushPollInterval);
        do
        {
            try
            {
                await MaybeUseRandomCouponAsync(stoppingToken);
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Exchange push round failed; trying again next round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task DeliverDueAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.ExchangePushUrl))
        {
            return;
        }

        var due = await events.DueAsync(ledger.Now, ct);
        foreach (var push in due)
        {
            var (code, reply) = await SendAsync(push, ct);
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteAsync(
                """
                UPDATE push_events SET attempts = attempts + 1, last_reply = @reply,
                  delivered_at = IF(@ok, @now, NULL), next_attempt_at = @next, gave_up = (NOT @ok AND attempts + 1 >= @max)
                WHERE id = @id
                """,
                new { id = push.Id, ok = code == "00", reply = Truncation.Truncate(reply, 500), now = ledger.Now, next = ledger.Now + options.PushRetryInterval, max = options.PushMaxAttempts });
            logger.LogInformation("Exchange push {PushId} attempt {Attempt}: reply code {Code}", push.Id, push.Attempts + 1, code ?? "none");
        }
    }

    private async Task<(string? Code, string Reply)> SendAsync(PushEvent push, CancellationToken ct)
    {
        var values = new[] { push.BarcodeNum, push.ExchangeNum, push.Status, push.ExchangeDate, push.BranchName, push.BranchCode, push.BarcodeType, push.Price.ToString(System.Globalization.CultureInfo.InvariantCulture), push.Balance.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var body = string.Join('&', FieldOrder.Select((name, i) => $"{name}={EncodeCp949(values[i])}"));
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            client.Timeout = options.PushTimeout;
            using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
            using var response = await client.PostAsync(options.ExchangePushUrl, content, ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var text = KoreanEncoding.Cp949.GetString(bytes);
            try
            {
                var code = XDocument.Parse(text).Root?.Element("RESULTCODE")?.Value;
                return (code, $"HTTP {(int)response.StatusCode} {SensitiveDataMasker.Mask(text)}");
            }
            catch (System.Xml.XmlException)
            {
                return (null, $"HTTP {(int)response.StatusCode} unparsable: {SensitiveDataMasker.Mask(text)}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, $"no answer: {ex.GetType().Name}");
        }
    }

    private async Task MaybeUseRandomCouponAsync(CancellationToken ct)
    {
        var perTick = options.RandomUsesPerMinute * options.PushPollInterval.TotalMinutes;
        if (perTick <= 0 || Random.Shared.NextDouble() >= perTick)
        {
            return;
        }

        await using var c = await db.OpenAsync(ct);
        var barcode = await c.ExecuteScalarAsync<string?>("SELECT barcode_num FROM coupons WHERE poc_id = @poc AND status = '000' ORDER BY RAND() LIMIT 1", new { poc = options.PocId });
        if (barcode is not null)
        {
            await events.ApplyAsync(barcode, CouponEventKind.Use, null, null, null, ct);
        }
    }

    /// <summary>Percent-encodes the CP949 bytes of a value (unreserved ASCII kept as is).</summary>
    public static string EncodeCp949(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in KoreanEncoding.Cp949.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
