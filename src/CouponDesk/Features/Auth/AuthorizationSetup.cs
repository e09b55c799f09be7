using CouponDesk.Security;
using Microsoft.AspNetCore.Authorization;

namespace CouponDesk.Features.Auth;

public static class AuthorizationSetup
{
    /// <summary>
    /// The bearer scheme with its session check, and one policy per row of the permission matrix (<see cref="Policies"/>):
    /// the roles it admits and, but for the own-account actions, a completed password change.
    /// </summary>
    public static IServiceCollection AddCouponDeskAuthorization(this IServiceCollection services)
    {
        services.AddCouponDeskBearer();
        services.AddSingleton<IAuthorizationHandler, PasswordChangedRequirement>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in Policies.Matrix)
            {
                options.AddPolicy(policy, p =>
                {
                    p.RequireAuthenticatedUser().RequireRole(roles);
                    // Until a required password change is done, only the own-account actions (P1) are open (spec §2.6).
                    if (policy != Policies.OwnAccount)
                    {
                        p.AddRequirements(PasswordChangedRequirement.Instance);
                    }
                });
            }
        });
        return services;
    }
}
