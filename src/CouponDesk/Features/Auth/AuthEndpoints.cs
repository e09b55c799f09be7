using CouponDesk.Features.Audit;
using CouponDesk.Features.Users;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Security.Authentication;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Auth;

/// <summary>
/// Login, logout, own profile, own password, session status. Login is one of the few anonymous endpoints
/// (<see cref="Security.AnonymousEndpoints"/>); the rest need only a valid session (P1), and stay usable while a password
/// change is required.
/// </summary>
public sealed class AuthEndpoints : IEndpointModule
{
    public sealed record Me(long Id, string LoginId, string? Name, string Role, bool MustChangePassword, DateTimeOffset IdleExpiresAt, DateTimeOffset AbsoluteExpiresAt, int WarningSeconds);

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/login", async (LoginRequest request, HttpContext http, LoginService login, CancellationToken ct) =>
        {
            var (result, problem) = await login.LoginAsync(request, AuditActor.From(http), ct);
            return problem?.ToResult() ?? Results.Ok(result);
        }).AllowAnonymous();

        group.MapPost("/logout", async (HttpContext http, SessionStore sessions, AuditTrail audit, CancellationToken ct) =>
        {
            if (await sessions.EndAsync(http.User.SessionId(), SessionEndReasons.Logout, ct))
            {
                await audit.WriteAsync(AuditActor.From(http).Entry(AuditActions.Logout) with { TargetType = "session", TargetId = http.User.SessionId()[..8] }, ct);
            }

            return Results.NoContent();
        }).RequireAuthorization(Policies.OwnAccount);

        group.MapGet("/me", async (HttpContext http, Users.UserAccounts users, PiiReader pii, SessionOptions options, CancellationToken ct) =>
        {
            var user = await users.LoadAsync(http.User.UserId(), ct);
            if (user is null)
            {
                return ApiProblem.NotFound().ToResult();
            }

            var session = (ActiveSession)http.Items[typeof(ActiveSession)]!;
            return Results.Ok(new Me(
                user.Id, user.LoginId, pii.Show(user.NameEnc, UserColumns.Name.PlaceOf(user.Id)), user.Role, user.MustChangePassword,
                new DateTimeOffset(session.IdleExpiresAt, TimeSpan.Zero), new DateTimeOffset(session.AbsoluteExpiresAt, TimeSpan.Zero), options.WarningSeconds));
        }).RequireAuthorization(Policies.OwnAccount);

        group.MapPost("/password", async (ChangePasswordRequest request, HttpContext http, PasswordChange change, CancellationToken ct) =>
            (await change.ChangeAsync(http.User.UserId(), request, AuditActor.From(http), ct))?.ToResult()
                ?? Results.Ok(new { message = PasswordChange.ChangedMessage })).RequireAuthorization(Policies.OwnAccount);
    }
}
