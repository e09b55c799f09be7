using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Users;

/// <summary>사용자관리 API (spec §3.6), ADMIN only (P21).</summary>
public sealed class UsersEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.ManageUsers);

        group.MapGet("/", async (UserAccounts users, CancellationToken ct, string? role = null, string? status = null, string? q = null) =>
            Results.Ok(await users.ListAsync(Blank(role), Blank(status), Blank(q), ct)));

        group.MapGet("/{id:long}", async (long id, HttpContext http, UserAccounts users, CancellationToken ct) =>
            await users.GetAsync(id, AuditActor.From(http), ct) is { } user ? Results.Ok(user) : ApiProblem.NotFound("사용자를 찾을 수 없습니다.").ToResult());

        group.MapPost("/", async (CreateUserRequest request, HttpContext http, UserAccounts users, CancellationToken ct) =>
        {
            var (created, problem) = await users.CreateAsync(request, AuditActor.From(http), ct);
            return problem?.ToResult() ?? Results.Created($"/api/users/{created!.User.Id}", created);
        });

        group.MapPut("/{id:long}", async (long id, UpdateUserRequest request, HttpContext http, UserAccounts users, CancellationToken ct) =>
        {
            var (user, problem) = await users.UpdateAsync(id, request, AuditActor.From(http), ct);
            return problem?.ToResult() ?? Results.Ok(user);
        });

        group.MapPost("/{id:long}/unlock", async (long id, HttpContext http, UserAccounts users, CancellationToken ct) =>
            (await users.UnlockAsync(id, AuditActor.From(http), ct))?.ToResult() ?? Results.Ok(new { message = "잠금이 해제되었습니다." }));

        group.MapPost("/{id:long}/password-reset", async (long id, ResetPasswordRequest request, HttpContext http, UserAccounts users, CancellationToken ct) =>
        {
            var (generated, problem) = await users.ResetPasswordAsync(id, request, AuditActor.From(http), ct);
            return problem?.ToResult() ?? Results.Ok(new { temporaryPassword = generated, message = "비밀번호가 초기화되었습니다. 다음 로그인 때 변경해야 합니다." });
        });

        group.MapPost("/{id:long}/sessions/end", async (long id, HttpContext http, UserAccounts users, CancellationToken ct) =>
        {
            var (ended, problem) = await users.EndSessionsAsync(id, AuditActor.From(http), ct);
            return problem?.ToResult() ?? Results.Ok(new { ended, message = "세션이 종료되었습니다." });
        });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
