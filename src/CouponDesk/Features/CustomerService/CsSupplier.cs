using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// C/S's calls to COUFUN for one coupon, made under the item's lock: the cancel (쿠폰폐기, 번호변경 after delivery) and
/// the status read (상태 새로고침, and the confirmation COUFUN's manual asks for after a refused cancel — coufun-b2c-api.md
/// §5.2: "confirm the state with §4 before telling the operator anything else"). A status answer is applied to the
/// coupon and kept in its status history with source C/S.
/// </summary>
public sealed class CsSupplier(CoufunClient coufun, CouponRepository coupons, CsActionFrame frame, CsJournal journal)
{
    public async Task<CoufunResult<CoufunCancelled>> CancelAsync(CouponRecord coupon, CancellationToken ct)
    {
        var number = await coupons.RevealNumberAsync(coupon.Id, ct) ?? throw new InvalidOperationException("the coupon's number is missing");
        // No cancellation token of the request: an answer that COUFUN sent must be recorded whatever the browser does.
        return await coufun.CancelAsync(coupon.GoodsId, number, CancellationToken.None);
    }

    /// <summary>Reads the coupon's state at COUFUN and applies it (caller's transaction); false when COUFUN gave no usable answer.</summary>
    public async Task<(bool Read, string? Status, CoufunResult<CoufunCouponStatus> Answer)> ReadAndApplyAsync(CsActionFrame.Context x, CouponRecord coupon, CancellationToken ct)
    {
        var number = await coupons.RevealNumberAsync(coupon.Id, ct) ?? throw new InvalidOperationException("the coupon's number is missing");
        var answer = await coufun.GetStatusAsync(coupon.GoodsId, number, CancellationToken.None);
        if (answer.Value is not { } state || state.Unreadable.Count > 0)
        {
            // A malformed answer is never applied (spec §6 [SR]); the operator sees the read as failed.
            return (false, null, answer);
        }

        var (status, used, balance) = CouponStatusFollowUp.StatusFromSupplier(coupon, state, x.Today);
        await CouponTransitions.ReadFromSupplierAsync(x.Connection, x.Transaction, coupon, status, state.Status, used, balance, CouponStatusSource.CustomerService, x.Now, ct);
        return (true, status, answer);
    }

    /// <summary>
    /// After a cancel COUFUN did not accept (the action's transaction rolled back, nothing changed): confirms a "used" (17)
    /// or "expired" (04) answer with a status read and applies what COUFUN reports — the only change — records the failed
    /// action, and returns the refusal the operator sees.
    /// </summary>
    public Task<CsResult> CancelRefusedAsync(long itemId, CoufunResult<CoufunCancelled> answer, string action, string? reasonCode, string? memo, AuditActor actor, string usedMessage, CancellationToken ct) =>
        frame.RunAsync(itemId, null, _ => CsAvailability.Yes, async x =>
        {
            var s = x.State;
            var before = CsItemStates.Describe(s.ItemStatus, s.CouponStatus);
            string? after = null;
            if (answer.ResultCode is "17" or "04" && s.CouponId is { } couponId && await coupons.LockAsync(x.Connection, x.Transaction, couponId, ct) is { } coupon)
            {
                var (read, status, _) = await ReadAndApplyAsync(x, coupon, ct);
                if (!read)
                {
                    // No status answer: COUFUN's refusal itself says what the coupon is.
                    status = answer.ResultCode == "17" ? CouponStatus.Used : CouponStatus.Expired;
                    await CouponTransitions.ReadFromSupplierAsync(x.Connection, x.Transaction, coupon, status, null, coupon.UsedAmount, coupon.Balance, CouponStatusSource.CustomerService, x.Now, ct);
                }

                after = CsItemStates.Describe(s.ItemStatus, status);
            }

            var (problem, failure) = Refusal(answer, usedMessage);
            await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(itemId, s.CampaignId, s.CouponId, action, CsActionNames.Failed)
            {
                Before = before,
                After = after ?? before,
                Failure = failure,
                ReasonCode = reasonCode,
                Memo = memo,
                Details = new Dictionary<string, string?> { ["coufunCode"] = answer.ResultCode, ["coufunOutcome"] = answer.Outcome.ToString() },
            }, ct);
            await x.Transaction.CommitAsync(ct);
            return CsResult.Refused(problem);
        }, "C/S cancel refusal", ct);

    private static (ApiProblem Problem, string Failure) Refusal(CoufunResult<CoufunCancelled> answer, string usedMessage)
    {
        var said = answer.ResultCode is null ? answer.Failure ?? "응답 없음" : $"{answer.ResultCode} {answer.ResultMessage}".Trim();
        return answer.ResultCode switch
        {
            "17" => (ApiProblem.Conflict(CsProblemCodes.CouponUsed, usedMessage), $"COUFUN {said}"),
            "04" => (ApiProblem.Conflict(CsProblemCodes.CouponExpired, CsRules.Expired), $"COUFUN {said}"),
            _ when answer.Outcome == CoufunOutcome.Rejected => (ApiProblem.Conflict(CsProblemCodes.SupplierRefused,
                $"공급사(COUFUN)가 쿠폰 취소를 거절했습니다 ({said}). 아무것도 변경하지 않았습니다."), $"COUFUN {said}"),
            _ => (new ApiProblem(StatusCodes.Status502BadGateway, CsProblemCodes.SupplierUnavailable, "Bad gateway",
                $"공급사(COUFUN)에서 쿠폰을 취소하지 못해 아무것도 변경하지 않았습니다 ({said}). 잠시 후 다시 시도해 주세요."), $"COUFUN {said}"),
        };
    }
}
