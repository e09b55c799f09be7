using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// 기타 (a memo, always allowed, spec §3.4.3) and 상태 새로고침 (a live <c>coufunPartAmountStatus</c> call, at most once a
/// minute per coupon, its answer applied to the coupon and kept in the coupon's status history with source C/S).
/// Both under the item's lock and recorded in CS 처리 이력 and the audit trail; neither changes the item's version.
/// </summary>
public sealed class CsMemoAndRefresh(CsActionFrame frame, CsSupplier supplier, CsJournal journal, CouponRepository coupons, CsOptions options)
{
    public const string MemoSaved = "CS 내용이 저장되었습니다.";
    public const string Refreshed = "쿠폰 상태를 새로 조회했습니다.";
    public const string RefreshFailed = "쿠폰 상태 조회에 실패했습니다.";

    public Task<CsResult> MemoAsync(long itemId, string memo, AuditActor actor, CancellationToken ct) =>
        frame.RunAsync(itemId, null, a => a.Memo, async x =>
        {
            var s = x.State;
            await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(itemId, s.CampaignId, s.CouponId, CsActionNames.Memo, CsActionNames.Success)
            {
                Before = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
                After = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
                Memo = memo,
            }, ct);
            await x.Transaction.CommitAsync(ct);
            return CsResult.Done(MemoSaved);
        }, "C/S memo", ct);

    public Task<CsResult> RefreshAsync(long itemId, AuditActor actor, CancellationToken ct) =>
        frame.RunAsync(itemId, null, a => a.Refresh, async x =>
        {
            var s = x.State;
            var last = await x.Connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
                "SELECT MAX(created_at) FROM cs_actions WHERE coupon_id = @couponId AND action = 'REFRESH'", new { couponId = s.CouponId }, x.Transaction, cancellationToken: ct));
            if (last is { } at && x.Now - DateTime.SpecifyKind(at, DateTimeKind.Utc) < TimeSpan.FromSeconds(options.RefreshIntervalSeconds))
            {
                return CsResult.Refused(new ApiProblem(StatusCodes.Status429TooManyRequests, CsProblemCodes.RefreshTooSoon, "Too many requests",
                    "상태 새로고침은 쿠폰당 1분에 한 번만 할 수 있습니다. 잠시 후 다시 시도해 주세요."));
            }

            var coupon = await coupons.LockAsync(x.Connection, x.Transaction, s.CouponId!.Value, ct) ?? throw new InvalidOperationException("coupon row missing");
            var (read, status, answer) = await supplier.ReadAndApplyAsync(x, coupon, ct);
            await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(itemId, s.CampaignId, s.CouponId, CsActionNames.Refresh, read ? CsActionNames.Success : CsActionNames.Failed)
            {
                Before = CsItemStates.Describe(s.ItemStatus, coupon.Status),
                After = CsItemStates.Describe(s.ItemStatus, status ?? coupon.Status),
                Failure = read ? null : $"COUFUN {answer.ResultCode ?? answer.Failure}",
                Details = new Dictionary<string, string?> { ["coufunCode"] = answer.ResultCode, ["supplierStatus"] = answer.Value?.Status },
            }, ct);
            await x.Transaction.CommitAsync(ct);
            return read ? CsResult.Done(Refreshed) : CsResult.Refused(new ApiProblem(StatusCodes.Status502BadGateway, CsProblemCodes.SupplierUnavailable, "Bad gateway", RefreshFailed));
        }, "C/S refresh", ct);
}
