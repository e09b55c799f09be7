using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CouponDesk.Web.Errors;

/// <summary>
/// Problem details for a client whose <c>Accept</c> excludes JSON — a browser that navigates to an API address sends
/// <c>text/html</c>. ASP.NET's own writer declines those, which left an unknown API path answering <c>text/plain</c> and
/// an unauthenticated one answering 500 (the 401 challenge found no writer). Registered after the default writer, so it
/// only writes what that one declines, in the same shape.
/// </summary>
public sealed class JsonProblemFallbackWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var options = new JsonSerializerOptions(jsonOptions.Value.SerializerOptions);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, options, "application/problem+json", http.RequestAborted));
    }
}
