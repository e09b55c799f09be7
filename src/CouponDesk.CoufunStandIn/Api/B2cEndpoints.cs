using CouponDesk.CoufunStandIn.Ledger;
using CouponDesk.CoufunStandIn.Protocol;
using CouponDesk.Shared.Text;

namespace CouponDesk.CoufunStandIn.Api;

/// <summary>
/// The four B2C paths. Each call: read parameters, draw faults, pass the caller checks, run the endpoint's own
/// checks and work, then write the EUC-KR answer (or misbehave as the drawn fault says).
/// </summary>
public static class B2cEndpoints
{
    /// <summary>Context one endpoint handler works with.</summary>
    public sealed record Call(HttpContext Http, RequestParameters Parameters, FaultDecision Fault)
    {
        /// <summary>Set by create when the fault says to drop the answer after committing.</summary>
        public bool DropAnswer { get; set; }
    }

    public static void Map(WebApplication app, StandInOptions options)
    {
        var prefix = options.PathPrefix;
        app.MapMethods(prefix + "coufunProduct.do", ["GET", "POST"], (HttpContext http, ProductHandler h) => Handle(http, "product", "PRODUCTLIST", "coufunProduct.do", h.HandleAsync));
        app.MapPost(prefix + "coufunCreate.do", (HttpContext http, CreateHandler h) => Handle(http, "create", "COUFUNCREATE", "coufunCreate.do", h.HandleAsync));
        app.MapPost(prefix + "coufunPartAmountStatus.do", (HttpContext http, StatusHandler h) => Handle(http, "status", "COUFUNSEARCH", "coufunPartAmountStatus.do", h.HandleAsync));
        app.MapPost(prefix + "coufunPartCancel.do", (HttpContext http, CancelHandler h) => Handle(http, "cancel", "COUFUNCANCEL", "coufunPartCancel.do", h.HandleAsync));
    }

    private static async Task Handle(HttpContext http, string function, string root, string api, Func<Call, Task<XmlAnswer>> handler)
    {
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        services.GetRequiredService<CallLog>().Record(function);
        var parameters = await RequestParameters.ReadAsync(http.Request, ct);
        var fault = services.GetRequiredService<FaultInjector>().Decide(function, parameters["GOODS_ID"]);
        if (fault.LatencyMs > 0)
        {
            await Task.Delay(fault.LatencyMs, ct);
        }

        if (fault.Stall)
        {
            // A timeout: nothing is processed; the caller gives up first, then the connection is dropped.
            await Task.Delay(fault.StallMs, ct);
            http.Abort();
            return;
        }

        if (fault.ServerError)
        {
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            http.Response.ContentType = "text/html; charset=UTF-8";
            await http.Response.WriteAsync("<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>", ct);
            return;
        }

        var failed = services.GetRequiredService<CallerChecks>().Check(http, function, parameters["POC_ID"]);
        var call = new Call(http, parameters, fault);
        var answer = failed is not null
            ? XmlAnswer.Failure(root, api, failed)
            : fault.ForcedCode is { } forced && function != "create"
                ? XmlAnswer.Failure(root, api, forced)
                : await handler(call);

        if (call.DropAnswer)
        {
            if (fault.DropByStalling)
            {
                await Task.Delay(fault.StallMs, ct);
            }

            http.Abort();
            return;
        }

        var bytes = answer.Bytes;
        if (fault.Malformed)
        {
            // Truncated mid-element: not parsable, and the caller cannot tell what happened.
            bytes = bytes[..(bytes.Length / 2)];
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = XmlAnswer.ContentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, ct);
    }

    /// <summary>Length in EUC-KR bytes (the manual's "byte" limits).</summary>
    public static int Bytes(string value) => KoreanEncoding.ByteCount(value);
}
