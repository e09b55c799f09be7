using CouponDesk.Features.Audit;
using CouponDesk.Security.Authentication;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CouponDesk.Features.Auth;

/// <summary>
/// A forbidden call answers 403 problem details "권한이 없습니다." and is written to the audit trail as a denied
/// authorisation (spec §1.2); a user who must change their password first gets code <c>password_change_required</c>.
/// Challenges (no or invalid token) go to the bearer handler's 401.
/// </summary>
public sealed class ProblemAuthorizationResultHandler(AuditTrail audit) : IAuthorizationMiddlewareResultHandler
{
    public const string PasswordChangeRequired = "password_change_required";

    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements ?? [];
        if (failed.All(r => r is PasswordChangedRequirement))
        {
            await new ApiProblem(StatusCodes.Status403Forbidden, PasswordChangeRequired, "Password change required", LoginService.MustChangeMessage)
                .ToResult().ExecuteAsync(context);
            return;
        }

        var endpoint = context.GetEndpoint() as RouteEndpoint;
        await audit.WriteAsync(
            AuditActor.From(context).Entry(AuditActions.AccessDenied, AuditOutcome.Denied) with
            {
                TargetType = "endpoint",
                TargetId = $"{context.Request.Method} {endpoint?.RoutePattern.RawText ?? context.Request.Path.Value}",
                Reason = string.Join(", ", context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>() ?? []),
            },
            context.RequestAborted);
        await ApiProblem.Forbidden().ToResult().ExecuteAsync(context);
    }
}

/// <summary>Satisfied unless the session's user must change their password first (spec §2.6); every policy but P1 carries it.</summary>
public sealed class PasswordChangedRequirement : AuthorizationHandler<PasswordChangedRequirement>, IAuthorizationRequirement
{
    public static readonly PasswordChangedRequirement Instance = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PasswordChangedRequirement requirement)
    {
        if (!context.User.HasClaim(c => c.Type == SessionPrincipal.MustChangePasswordClaim))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
