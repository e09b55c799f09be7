using System.Text.RegularExpressions;
using CouponDesk.Data;
using CouponDesk.Features.Alerts;
using CouponDesk.Hosting;
using CouponDesk.Shared.Logging;
using CouponDesk.Shared.Text;
using Dapper;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// <c>POST /api/coufun/exchange</c>: COUFUN's exchange push (spec §7, §8.5). Anonymous, accepted only from the
/// configured source addresses. Always HTTP 200 with the <c>COUPONEXCHANGE</c> XML: 00 (stored, or an exact duplicate
/// with the original EXCHANGE_ID), 01 (address not allowed), 03 (coupon unknown), 99 (malformed, oversized, or we
/// could not store it — COUFUN retries in 10 minutes). Every request and reply is logged, masked.
/// </summary>
public sealed partial class ExchangePushEndpoint : IEndpointModule
{
    public const string Path = "/api/coufun/exchange";

    [GeneratedRegex("(BARCODE_NUM=)([^&]*)")]
    private static partial Regex BarcodeParameter();

    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Path, HandleAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task HandleAsync(
        HttpContext http, ExchangePushOptions options, CouponRepository coupons, DbConnectionFactory connections, IOperationsAlerts alerts, TimeProvider time, ILogger<ExchangePushEndpoint> logger)
    {
        var receivedAt = time.GetUtcNow().UtcDateTime;
        var remote = http.Connection.RemoteIpAddress;
        byte[] body = [];
        var oversized = false;
        string code;
        string? note = null;
        ExchangeEvent? exchange = null;
        ExchangeApplyResult? applied = null;
        try
        {
            (body, oversized) = await ReadBoundedAsync(http.Request, options.MaxBodyBytes, http.RequestAborted);
            var normalized = remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote;
            if (normalized is null || !options.Networks.Any(n => n.Contains(normalized)))
            {
                (code, note) = ("01", "source address not allowed");
            }
            else if (oversized)
            {
                (code, note) = ("99", $"body larger than {options.MaxBodyBytes} bytes");
            }
            else
            {
                var fields = ExchangePushRequest.ParseFields(http.Request.QueryString.Value ?? "", body, http.Request.ContentType);
                (exchange, note) = ExchangePushRequest.Validate(fields);
                if (exchange is null)
                {
                    code = "99";
                }
                else
                {
                    applied = await coupons.ApplyExchangeAsync(exchange, http.RequestAborted);
                    if (applied.Conflict)
                    {
                        // Applied (the supplier's word wins) and flagged; the alert goes out once (spec §4.3, §5.9).
                        logger.LogWarning("Exchange push for coupon {CouponId} contradicts our record; applied and flagged for review", applied.CouponId);
                        await CouponStatusSync.RaiseConflictsAsync(alerts, 1, "교환 알림", CancellationToken.None);
                    }
                    (code, note) = applied.Kind switch
                    {
                        ExchangeApplyKind.UnknownCoupon => ("03", "coupon number unknown"),
                        ExchangeApplyKind.Duplicate => ("00", "duplicate delivery"),
                        _ => ("00", null),
                    };
                }
            }
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(ex, "Exchange push could not be processed; answered 99 so COUFUN retries");
            (code, note) = ("99", $"internal error ({ex.GetType().Name})");
        }

        var reply = Reply(code, code == "00" ? applied?.ExchangeId : null);
        await RecordAsync(connections, coupons, logger, receivedAt, remote?.ToString(), http.Request.ContentType, body, oversized, exchange, applied, code, reply, note);
        if (code != "00")
        {
            await alerts.RaiseAsync(PushErrorAlert(code), CancellationToken.None);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/xml; charset=EUC-KR";
        var bytes = KoreanEncoding.Cp949.GetBytes(reply);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes);
    }

    /// <summary>
    /// Spec §5.9 "exchange-push errors": a push we could not take. Only the reply code and what it means — never the
    /// body (it holds the coupon number); the push itself is kept, masked, in <c>coupon_exchange_pushes</c>.
    /// </summary>
    public static OperationsAlert PushErrorAlert(string code) => new(
        "coufun.push_error",
        code switch
        {
            "01" => "허용되지 않은 주소에서 쿠폰 교환 알림(push)이 왔습니다 (응답 01). 공급사 송신 주소가 바뀌었다면 Coufun:ExchangePush:AllowedSources 설정을 확인해 주세요.",
            "03" => "알 수 없는 쿠폰번호의 교환 알림(push)을 받았습니다 (응답 03). 공급사 교환 알림 목록에서 확인해 주세요.",
            _ => $"쿠폰 교환 알림(push)을 처리하지 못했습니다 (응답 {code}). 공급사가 재전송합니다; 반복되면 서버 로그와 교환 알림 기록을 확인해 주세요.",
        },
        AlertSeverity.Warning,
        $"push:{code}");

    /// <summary>The reply of spec §7.3: ASCII only, EXCHANGE_ID only with 00.</summary>
    public static string Reply(string code, string? exchangeId)
    {
        var message = code switch
        {
            "00" => "Success",
            "01" => "Unregistered IP",
            "03" => "Unknown coupon number",
            "04" => "Duplicate",
            _ => "Error",
        };
        var id = exchangeId is null ? "" : $"  <EXCHANGE_ID>{exchangeId}</EXCHANGE_ID>\n";
        return $"<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n<COUPONEXCHANGE>\n  <RESULTCODE>{code}</RESULTCODE>\n  <RESULTMSG>{message}</RESULTMSG>\n{id}</COUPONEXCHANGE>\n";
    }

    private static async Task<(byte[] Body, bool Oversized)> ReadBoundedAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            return ([], true);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), false);
    }

    private static async Task RecordAsync(DbConnectionFactory connections, CouponRepository coupons, ILogger logger, DateTime receivedAt, string? remote, string? contentType,
        byte[] body, bool oversized, ExchangeEvent? exchange, ExchangeApplyResult? applied, string code, string reply, string? note)
    {
        var text = KoreanEncoding.Cp949.GetString(body, 0, Math.Min(body.Length, 3000));
        var masked = SensitiveDataMasker.Mask(BarcodeParameter().Replace(text, m => m.Groups[1].Value + SensitiveDataMasker.MaskCouponNumber(Uri.UnescapeDataString(m.Groups[2].Value))));
        try
        {
            await using var c = await connections.OpenAsync();
            await c.ExecuteAsync(
                """
                INSERT INTO coupon_exchange_pushes (received_at, remote_address, content_type, body_masked, body_bytes, coupon_number_masked, coupon_number_index,
                  coupon_id, exchange_id, reply_code, reply_body, note)
                VALUES (@receivedAt, @remote, @contentType, @masked, @bytes, @numberMasked, @numberIndex, @couponId, @exchangeId, @code, @reply, @note)
                """,
                new
                {
                    receivedAt,
                    remote = Truncation.Truncate(remote, 45),
                    contentType = Truncation.Truncate(contentType, 100),
                    masked = Truncation.Truncate(masked + (oversized ? " …(truncated)" : ""), 4000),
                    bytes = body.Length,
                    numberMasked = exchange is null ? null : SensitiveDataMasker.MaskCouponNumber(exchange.CouponNumber),
                    numberIndex = exchange is null ? null : coupons.IndexOf(exchange.CouponNumber),
                    couponId = applied?.CouponId,
                    exchangeId = applied?.ExchangeRowId,
                    code,
                    reply,
                    note = Truncation.Truncate(note, 300),
                });
        }
        catch (Exception ex)
        {
            // The reply still goes out; the log line is the record of last resort (masked by the formatter).
            logger.LogError(ex, "Could not record an exchange push (reply {Code}, body {Body})", code, masked);
        }
    }
}
