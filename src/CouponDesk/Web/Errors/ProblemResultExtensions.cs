using Microsoft.AspNetCore.Http.HttpResults;

namespace CouponDesk.Web.Errors;

public static class ProblemResultExtensions
{
    /// <summary>Writes an <see cref="ApiProblem"/> as <c>application/problem+json</c> through the shared problem details writer.</summary>
    public static IResult Problem(this IResultExtensions _, ApiProblem problem)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = problem.Code };
        if (problem.Errors is not null)
        {
            extensions["errors"] = problem.Errors;
        }

        foreach (var (key, value) in problem.Extensions ?? new Dictionary<string, object?>())
        {
            extensions.TryAdd(key, value);
        }

        return TypedResults.Problem(
            detail: problem.Detail,
            statusCode: problem.Status,
            title: problem.Title,
            type: $"https://coupondesk.invalid/problems/{problem.Code}",
            extensions: extensions);
    }

    /// <summary>For typed endpoint signatures: <c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>.</summary>
    public static ProblemHttpResult ToTyped(this ApiProblem problem) => (ProblemHttpResult)problem.ToResult();
}
