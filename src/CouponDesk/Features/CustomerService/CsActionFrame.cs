using CouponDesk.Data;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using MySqlConnector;

namespace CouponDesk.Features.CustomerService;

/// <summary>What a C/S action did: a Korean message for the toast (200, or 202 when a follow-up continues), or a refusal.</summary>
public sealed record CsResult(int Status, string? Message, ApiProblem? Problem)
{
    public static CsResult Done(string message) => new(StatusCodes.Status200OK, message, null);

    public static CsResult Accepted(string message) => new(StatusCodes.Status202Accepted, message, null);

    public static CsResult Refused(ApiProblem problem) => new(problem.Status, null, problem);

    public static CsResult Conflict(string code, string detail) => Refused(ApiProblem.Conflict(code, detail));
}

/// <summary>Stable codes of C/S refusals.</summary>
public static class CsProblemCodes
{
    public const string StaleItem = "stale_item";
    public const string NotAllowed = "action_not_allowed";
    public const string NightConfirmation = "night_confirmation_required";
    public const string CouponUsed = "coupon_used";
    public const string CouponExpired = "coupon_expired";
    public const string SupplierRefused = "supplier_refused";
    public const string SupplierUnavailable = "supplier_unavailable";
    public const string RefreshTooSoon = "refresh_too_soon";
    public const string NumberTaken = "number_in_campaign";
    public const string SendRefused = "message_refused";
}

/// <summary>
/// The frame every state-changing C/S action runs in (spec §3.4.3): one transaction that first locks the item row, then
/// checks the page's version (a stale page gets 409 and the current state) and the rules of §3.4.4 for this action, then
/// runs the action, which writes its change, its CS 처리 이력 row and its audit row before committing. Anything refused
/// rolls back: nothing changed. A deadlock victim is run again whole (COUFUN's cancel is safe to repeat: "already
/// cancelled" counts as done).
/// </summary>
public sealed class CsActionFrame(DbConnectionFactory connections, CsOptions options, ResendOptions resends, TimeProvider time, ILogger<CsActionFrame> logger)
{
    public sealed record Context(MySqlConnection Connection, MySqlTransaction Transaction, CsItemState State, CsActions Allowed, DateTime Now, DateOnly Today);

    public static readonly ApiProblem NotFound = ApiProblem.NotFound("C/S 대상 건을 찾을 수 없습니다. 다시 조회해 주세요.");

    public Task<CsResult> RunAsync(long itemId, int? expectedVersion, Func<CsActions, CsAvailability> gate, Func<Context, Task<CsResult>> action, string what, CancellationToken ct) =>
        DeadlockRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var state = await CsItemStates.LockAsync(c, tx, itemId, ct);
            if (state is null)
            {
                return CsResult.Refused(NotFound);
            }

            if (expectedVersion is { } version && version != state.Version)
            {
                return CsResult.Conflict(CsProblemCodes.StaleItem, "화면을 연 뒤 이 건의 상태가 바뀌었습니다. 현재 상태를 확인한 뒤 다시 시도하세요.");
            }

            var now = time.GetUtcNow().UtcDateTime;
            var today = DateOnly.FromDateTime(Kst.ToKst(now));
            var allowed = CsRules.Decide(state, today, resends.MaxOperatorResends, options.MaxPhoneChanges);
            var gateResult = gate(allowed);
            if (!gateResult.Enabled)
            {
                return CsResult.Conflict(CsProblemCodes.NotAllowed, gateResult.Reason ?? "지금은 이 처리를 할 수 없습니다.");
            }

            return await action(new Context(c, tx, state, allowed, now, today));
        }, logger, what);
}
