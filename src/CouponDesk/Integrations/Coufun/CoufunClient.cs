using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CouponDesk.Hosting.Liveness;
using Polly.Timeout;

namespace CouponDesk.Integrations.Coufun;

/// <summary>
/// The COUFUN B2C client (spec §2–§5): POST, form-urlencoded ASCII parameters, answers decoded as CP949 XML, every
/// code mapped through the code table to a <see cref="CoufunOutcome"/>. Never throws for what COUFUN or the network
/// does. <see cref="CreateAsync"/> is never retried here: an answer lost after the request may have left is
/// <see cref="CoufunOutcome.InDoubt"/> with its TR_ID, for the pipeline to record (spec §8.1).
/// </summary>
public sealed partial class CoufunClient(IHttpClientFactory httpClients, CoufunOptions options, CoufunCallGate gate, ICreateCallPermit liveness, ILogger<CoufunClient> logger)
{
    /// <summary>Product list, status, cancel: safe to repeat, so the pipeline retries transport failures.</summary>
    public const string SafeClientName = "Coufun.Safe";

    /// <summary>Create: a timeout only, no retry.</summary>
    public const string CreateClientName = "Coufun.Create";

    [GeneratedRegex("^[A-Za-z0-9]{1,50}$")]
    private static partial Regex TrIdFormat();

    [GeneratedRegex("^[\\x21-\\x7E]{1,30}$")]
    private static partial Regex BarcodeFormat();

    public async Task<CoufunResult<CoufunProductList>> GetProductsAsync(CancellationToken cancellationToken = default)
    {
        var call = await SendAsync(CoufunApi.Product, "PRODUCTLIST", [], SafeClientName, cancellationToken);
        return Finish<CoufunProductList>(call, root => CoufunParsers.ProductList(root), trId: null);
    }

    /// <summary>
    /// Buys <paramref name="count"/> (1–10) coupons of <paramref name="goodsId"/> under <paramref name="trId"/>
    /// (<c>[A-Za-z0-9]</c>, ≤ 50). The caller has persisted the intent with this TR_ID before calling.
    /// </summary>
    public async Task<CoufunResult<CoufunCreatedOrder>> CreateAsync(string goodsId, int count, string trId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 10);
        if (!TrIdFormat().IsMatch(trId))
        {
            throw new ArgumentException("TR_ID must be 1-50 characters [A-Za-z0-9]", nameof(trId));
        }

        RequireGoodsId(goodsId);
        var call = await SendAsync(CoufunApi.Create, "COUFUNCREATE", [new("GOODS_ID", goodsId), new("CREATE_CNT", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("TR_ID", trId)], CreateClientName, cancellationToken);
        return Finish<CoufunCreatedOrder>(call, root => CoufunParsers.CreatedOrder(root, trId, count), trId);
    }

    public async Task<CoufunResult<CoufunCouponStatus>> GetStatusAsync(string goodsId, string barcodeNum, CancellationToken cancellationToken = default)
    {
        RequireGoodsId(goodsId);
        RequireBarcode(barcodeNum);
        var call = await SendAsync(CoufunApi.Status, "COUFUNSEARCH", [new("GOODS_ID", goodsId), new("BARCODE_NUM", barcodeNum)], SafeClientName, cancellationToken);
        var result = Finish<CoufunCouponStatus>(call, root => CoufunParsers.CouponStatus(root, barcodeNum), trId: null);
        // 04 on a status read means "expired" (§4.2 [SR]): a state, which the caller records like a success.
        return result.ResultCode == "04"
            ? result with { Value = new CoufunCouponStatus(barcodeNum, null, null, null, null, null, null, null, null, Expired: true) }
            : result;
    }

    public async Task<CoufunResult<CoufunCancelled>> CancelAsync(string goodsId, string barcodeNum, CancellationToken cancellationToken = default)
    {
        RequireGoodsId(goodsId);
        RequireBarcode(barcodeNum);
        var call = await SendAsync(CoufunApi.Cancel, "COUFUNCANCEL", [new("GOODS_ID", goodsId), new("BARCODE_NUM", barcodeNum)], SafeClientName, cancellationToken);
        return Finish<CoufunCancelled>(call, root => new CoufunCancelled(CoufunXml.Text(root, "BARCODE_NUM"), call.Code == "18"), trId: null);
    }

    private sealed record Call(CoufunApi Api, XElement? Root, string? Code, string? Message, string? Failure, string? MaskedRaw, bool MaybeSent)
    {
        public TimeSpan Elapsed { get; init; }
    }

    private async Task<Call> SendAsync(CoufunApi api, string root, List<KeyValuePair<string, string>> parameters, string clientName, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var call = await SendOnceAsync(api, root, parameters, clientName, ct);
        return call with { Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
    }

    private async Task<Call> SendOnceAsync(CoufunApi api, string root, List<KeyValuePair<string, string>> parameters, string clientName, CancellationToken ct)
    {
        parameters.Insert(0, new("POC_ID", options.PocId));
        await using var slot = await gate.EnterAsync(ct);
        if (api == CoufunApi.Create)
        {
            // Last moment before a purchase leaves: a process the others may already count as dead (its beat is late, it
            // was paused) waits for its next beat, and one they fenced never calls — its order is someone else's (D-OPS-11).
            await liveness.WaitUntilMayCallAsync(ct);
        }

        var client = httpClients.CreateClient(clientName);
        HttpResponseMessage response;
        try
        {
            using var content = new FormUrlEncodedContent(parameters);
            response = await client.PostAsync(CoufunResultCodes.ApiName(api), content, ct);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            // The connection was never established: the request provably did not reach COUFUN.
            return new Call(api, null, null, null, $"no connection ({ex.HttpRequestError})", null, MaybeSent: false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new Call(api, null, null, null, $"no answer ({Describe(ex)})", null, MaybeSent: true);
        }
        catch (OperationCanceledException) when (api == CoufunApi.Create)
        {
            // Our own shutdown while the request may be on the wire: still in doubt, never forgotten.
            return new Call(api, null, null, null, "cancelled by CouponDesk while the call was in flight", null, MaybeSent: true);
        }

        using (response)
        {
            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutRejectedException || (ex is OperationCanceledException && (!ct.IsCancellationRequested || api == CoufunApi.Create)))
            {
                return new Call(api, null, null, null, $"answer cut off ({Describe(ex)})", null, MaybeSent: true);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new Call(api, null, null, null, $"HTTP {(int)response.StatusCode}", CoufunXml.MaskRaw(KoreanTextPreview(body)), MaybeSent: true);
            }

            var parsed = CoufunXml.Parse(body, root);
            if (parsed.Root is null)
            {
                return new Call(api, null, null, null, parsed.Failure, parsed.MaskedRaw, MaybeSent: true);
            }

            return new Call(api, parsed.Root, CoufunXml.Text(parsed.Root, "RESULT_CODE"), CoufunXml.Text(parsed.Root, "RESULT_MSG"), null, null, MaybeSent: true);
        }
    }

    /// <summary>The call's result, counted in the COUFUN latency histogram by API and outcome.</summary>
    private CoufunResult<T> Finish<T>(Call call, Func<XElement, T> parse, string? trId)
        where T : class
    {
        var result = Interpret(call, parse, trId);
        Web.Metrics.CouponDeskMetrics.CoufunCall(CoufunResultCodes.ApiName(call.Api), result.Outcome.ToString(), call.Elapsed);
        return result;
    }

    private CoufunResult<T> Interpret<T>(Call call, Func<XElement, T> parse, string? trId)
        where T : class
    {
        CoufunResult<T> result;
        if (call.Root is null)
        {
            var outcome = call.Api == CoufunApi.Create && call.MaybeSent ? CoufunOutcome.InDoubt : CoufunOutcome.Transient;
            result = new CoufunResult<T>(outcome, call.Api) { TrId = trId, Failure = call.Failure, MaskedRawResponse = call.MaskedRaw };
            logger.LogWarning("COUFUN {Api}: {Outcome} ({Failure}) TR_ID {TrId}", CoufunResultCodes.ApiName(call.Api), outcome, call.Failure, trId);
            return result;
        }

        var code = call.Code!;
        var mapped = CoufunResultCodes.Outcome(call.Api, code);
        result = new CoufunResult<T>(mapped, call.Api) { ResultCode = code, ResultMessage = call.Message, TrId = trId };
        if (mapped == CoufunOutcome.Success || (call.Api == CoufunApi.Status && code == "04"))
        {
            try
            {
                result = result with { Value = parse(call.Root) };
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                // A 00 whose body we cannot read: for create the coupons exist but we do not know them.
                var outcome = call.Api == CoufunApi.Create ? CoufunOutcome.InDoubt : CoufunOutcome.Transient;
                return new CoufunResult<T>(outcome, call.Api) { ResultCode = code, ResultMessage = call.Message, TrId = trId, Failure = $"unreadable success answer ({ex.GetType().Name})", MaskedRawResponse = CoufunXml.MaskRaw(call.Root.ToString()) };
            }
        }

        if (mapped != CoufunOutcome.Success)
        {
            logger.LogWarning("COUFUN {Api}: code {Code} → {Outcome} TR_ID {TrId}", CoufunResultCodes.ApiName(call.Api), code, mapped, trId);
        }

        return result;
    }

    private static string Describe(Exception ex) => ex is HttpRequestException http ? $"{ex.GetType().Name} {http.HttpRequestError}" : ex.GetType().Name;

    private static string KoreanTextPreview(byte[] body) => Shared.Text.KoreanEncoding.Cp949.GetString(body, 0, Math.Min(body.Length, 4000));

    private static void RequireGoodsId(string goodsId)
    {
        if (!CoufunParsers.GoodsIdFormat().IsMatch(goodsId))
        {
            throw new ArgumentException("GOODS_ID must be 1-10 characters [A-Za-z0-9]", nameof(goodsId));
        }
    }

    private static void RequireBarcode(string barcodeNum)
    {
        if (!BarcodeFormat().IsMatch(barcodeNum))
        {
            throw new ArgumentException("BARCODE_NUM must be 1-30 printable ASCII characters", nameof(barcodeNum));
        }
    }
}
