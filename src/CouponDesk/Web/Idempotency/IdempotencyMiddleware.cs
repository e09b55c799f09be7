using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CouponDesk.Web.Errors;

namespace CouponDesk.Web.Idempotency;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header the pages send with every state-changing request (spec §3.0: "a double click
/// never acts twice"): for a signed-in user's POST / PUT / PATCH / DELETE under <c>/api/</c>, the first request with a
/// key runs and its answer is stored; a retry with the same key and the same request gets that answer again (header
/// <c>Idempotent-Replayed: true</c>) without running anything; the same key on another request is refused (422); a retry
/// while the first is still running is refused (409). A server error is not stored, so a retry runs again. Requests
/// without the header are unaffected. Runs after authentication and authorization, keyed per user.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_.:-]{8,100}$")]
    private static partial System.Text.RegularExpressions.Regex KeyFormat();

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method) && !HttpMethods.IsDelete(request.Method)
            || !request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            || !request.Headers.TryGetValue(Header, out var values)
            || !long.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            await next(http);
            return;
        }

        var key = values.Count == 1 ? values[0] ?? "" : "";
        if (!KeyFormat().IsMatch(key))
        {
            await Problem(http, new ApiProblem(StatusCodes.Status400BadRequest, "invalid_idempotency_key", "Bad request",
                "Idempotency-Key 헤더는 영문·숫자 8~100자여야 합니다."));
            return;
        }

        var hash = await FingerprintAsync(request, http.RequestAborted);
        var existing = await store.TryBeginAsync(userId, key, hash, request.Method, request.Path.Value ?? "", http.RequestAborted);
        if (existing is not null)
        {
            await AnswerRepeatAsync(http, existing, hash);
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(http);
            completed = true;
        }
        finally
        {
            http.Response.Body = original;
            if (!completed || http.Response.StatusCode >= 500)
            {
                await store.ForgetAsync(userId, key, CancellationToken.None);
            }
        }

        var body = buffer.ToArray();
        if (http.Response.StatusCode < 500)
        {
            await store.CompleteAsync(userId, key, http.Response.StatusCode, http.Response.ContentType, body.Length <= IdempotencyStore.MaxStoredBody ? body : null, CancellationToken.None);
        }

        await original.WriteAsync(body, http.RequestAborted);
    }

    private async Task AnswerRepeatAsync(HttpContext http, IdempotencyRecord existing, byte[] hash)
    {
        if (!existing.RequestHash.AsSpan().SequenceEqual(hash))
        {
            await Problem(http, new ApiProblem(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Unprocessable",
                "같은 요청 키가 다른 요청에 이미 사용되었습니다. 화면을 새로 고친 뒤 다시 시도하세요."));
            return;
        }

        if (existing.State != IdempotencyStore.Done)
        {
            await Problem(http, ApiProblem.Conflict("request_in_progress", "같은 요청을 처리하고 있습니다. 잠시 후 결과를 확인하세요."));
            return;
        }

        if (existing.Body is null || existing.StatusCode is null)
        {
            await Problem(http, ApiProblem.Conflict("request_already_processed", "이미 처리된 요청입니다. 화면을 새로 고쳐 결과를 확인하세요."));
            return;
        }

        logger.LogInformation("Replayed the stored answer of a repeated {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = existing.StatusCode.Value;
        http.Response.ContentType = existing.ContentType;
        http.Response.Headers[ReplayedHeader] = "true";
        await http.Response.Body.WriteAsync(existing.Body, http.RequestAborted);
    }

    /// <summary>SHA-256 over method, path, query and body; the body is buffered so the endpoint still reads it.</summary>
    private static async Task<byte[]> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n"));
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    private static Task Problem(HttpContext http, ApiProblem problem) => problem.ToResult().ExecuteAsync(http);
}
