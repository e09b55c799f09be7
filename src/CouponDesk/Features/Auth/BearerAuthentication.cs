using CouponDesk.Features.Users;
using CouponDesk.Security.Authentication;
using CouponDesk.Web.Errors;
using CouponDesk.Web.Frontend;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CouponDesk.Features.Auth;

/// <summary>
/// JWT bearer authentication whose tokens are only half the story: after the signature and expiry check, the session
/// row is read (<see cref="SessionStore.CheckAndTouchAsync"/>) and the principal is rebuilt from it — role and account
/// state as they are now, not as they were at login. A refused token answers 401 problem details with code
/// <c>unauthorized</c>; a session ended by a newer login says so (spec §2.5).
/// </summary>
public static class BearerAuthentication
{
    public const string ExpiredMessage = "로그인 정보가 만료되었습니다. 다시 로그인해 주세요.";
    public const string SupersededMessage = "다른 곳에서 로그인하여 로그아웃되었습니다.";
    private const string RejectionKey = "coupondesk.session.rejection";

    public static IServiceCollection AddCouponDeskBearer(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureBearer>();
        return services;
    }

    private sealed class ConfigureBearer(TokenService tokens, TimeProvider time) : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(JwtBearerOptions options) => Configure(JwtBearerDefaults.AuthenticationScheme, options);

        public void Configure(string? name, JwtBearerOptions options)
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = tokens.ValidationParameters(time);
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = async context =>
                {
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
                    var sessionId = context.Principal?.FindFirst(TokenService.SessionClaim)?.Value;
                    // A page's timer call is checked like any other but is not activity (spec §2.5 idle timeout, D-APR-7).
                    var background = context.Request.Headers[WebFrontendSetup.BackgroundRequestHeader] == "1";
                    var check = await sessions.CheckAndTouchAsync(sessionId, touch: !background, context.HttpContext.RequestAborted);
                    if (check.Session is not { } session)
                    {
                        context.HttpContext.Items[RejectionKey] = check.Rejection;
                        context.Fail("the session is not active");
                        return;
                    }

                    context.Principal = SessionPrincipal.Create(session.UserId, session.LoginId, session.Role, session.SessionId, session.MustChangePassword);
                    context.HttpContext.Items[typeof(ActiveSession)] = session;
                    context.HttpContext.Response.Headers[WebFrontendSetup.SessionIdleExpiresHeader] = new DateTimeOffset(session.IdleExpiresAt, TimeSpan.Zero).ToString("O");
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var rejection = context.HttpContext.Items[RejectionKey] as string;
                    var superseded = rejection == SessionEndReasons.Superseded;
                    var http = context.HttpContext;
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = http,
                        ProblemDetails = new ProblemDetails
                        {
                            Status = StatusCodes.Status401Unauthorized,
                            Title = "Unauthorized",
                            Detail = superseded ? SupersededMessage : ExpiredMessage,
                            Type = $"https://coupondesk.invalid/problems/{ErrorCodes.Unauthorized}",
                            Extensions =
                            {
                                ["code"] = ErrorCodes.Unauthorized,
                                ["reason"] = superseded ? "session_superseded" : rejection is null ? "no_valid_token" : "session_ended",
                            },
                        },
                    });
                },
            };
        }
    }
}
