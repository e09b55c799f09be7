using Microsoft.AspNetCore.Diagnostics;

namespace CouponDesk.Web.Errors;

/// <summary>
/// Every error the back office answers is RFC 9457 problem details with <c>code</c>, a Korean <c>detail</c> and the
/// correlation id: thrown exceptions, malformed bodies, unknown routes and wrong methods included.
/// No stack trace leaves the process outside Development.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddCouponDeskProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            var problem = context.ProblemDetails;
            problem.Instance ??= http.Request.Path;
            problem.Extensions["correlationId"] = http.TraceIdentifier;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var (code, detail) = DescribeStatus(problem.Status ?? http.Response.StatusCode);
                problem.Extensions["code"] = code;
                problem.Detail ??= detail;
            }

            problem.Extensions.Remove("traceId");
        });
        // After AddProblemDetails: the default writer answers first, this one only when the client's Accept excludes JSON.
        services.AddSingleton<IProblemDetailsWriter, JsonProblemFallbackWriter>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    public static WebApplication UseCouponDeskProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static (string Code, string Detail) DescribeStatus(int status) => status switch
    {
        400 => (ErrorCodes.MalformedBody, "요청 형식이 올바르지 않습니다. 입력값을 확인해 주세요."),
        401 => (ErrorCodes.Unauthorized, "로그인 정보가 만료되었습니다. 다시 로그인해 주세요."),
        403 => (ErrorCodes.Forbidden, "권한이 없습니다."),
        404 => (ErrorCodes.NotFound, "요청한 주소를 찾을 수 없습니다."),
        405 => (ErrorCodes.MethodNotAllowed, "허용되지 않는 요청 방식입니다."),
        413 => (ErrorCodes.PayloadTooLarge, "요청 크기가 허용 한도를 넘었습니다."),
        415 => (ErrorCodes.UnsupportedMediaType, "지원하지 않는 요청 형식입니다."),
        429 => (ErrorCodes.TooManyRequests, "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."),
        _ when status >= 500 => (ErrorCodes.Internal, "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요. 계속되면 관리자에게 문의하세요."),
        _ => ("error", "요청을 처리할 수 없습니다."),
    };

    /// <summary>Malformed JSON, wrong content types and oversized bodies become 4xx problems, not 500s.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
            var (code, detail) = DescribeStatus(status);
            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = status,
                    Title = "Bad request",
                    Detail = detail,
                    Type = $"https://coupondesk.invalid/problems/{code}",
                    Extensions = { ["code"] = code },
                },
            });
        }
    }

}
