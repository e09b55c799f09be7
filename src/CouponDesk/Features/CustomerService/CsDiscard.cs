using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// 쿠폰폐기 (spec §3.4.3, D12, K5): under the item's lock, withdraws a <c>ready</c> message if any, then cancels the coupon
/// at COUFUN. Cancelled (or "already cancelled"): the coupon is CANCELLED (폐기) and an item not yet delivered becomes
/// CANCELLED (a delivered one keeps its delivery state). Used (17) / expired (04) / any other refusal: everything is
/// rolled back — the message stays queued — and only what COUFUN then reports for the coupon is applied. No answer
/// (transport failure, 50/99/23): the withdrawal and the item's cancel stand and the COUFUN cancel is left to the cancel
/// follow-up (every 10 minutes for 24 h, spec §5.8), shown as "처리 중".
/// </summary>
public sealed class CsDiscard(CsActionFrame frame, CsSupplier supplier, CsJournal journal, CouponRepository coupons, CouponCancellations cancellations, SnapMessageCanceller canceller, PiiReader reader)
{
    public const string Success = "쿠폰이 폐기되었습니다.";
    public const string Pending = "쿠폰 폐기를 접수했습니다. 공급사(COUFUN) 응답이 없어 자동으로 재시도합니다.";

    /// <summary>The reasons of the confirmation (spec §3.4.3): 고객 요청 / 오발송 / 중복 발송 / 기타 (+ memo).</summary>
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CUSTOMER_REQUEST"] = "고객 요청",
        ["WRONG_SEND"] = "오발송",
        ["DUPLICATE"] = "중복 발송",
        ["OTHER"] = "기타",
    };

    public async Task<CsResult> DiscardAsync(long itemId, int? version, string reason, string? memo, AuditActor actor, CancellationToken ct)
    {
        CoufunResult<CoufunCancelled>? refused = null;
        var result = await frame.RunAsync(itemId, version, a => a.Discard, async x =>
        {
            var s = x.State;
            var preSend = s.ItemStatus is ItemStatus.Issued or ItemStatus.Rendered or ItemStatus.Queued;
            if (s.ItemStatus == ItemStatus.Queued && !(await canceller.WithdrawAsync(x.Connection, x.Transaction, [s.MessageId!.Value], ct))[0].IsWithdrawn)
            {
                return CsResult.Conflict(CsProblemCodes.NotAllowed, CsRules.DiscardInFlight);
            }

            var coupon = await coupons.LockAsync(x.Connection, x.Transaction, s.CouponId!.Value, ct) ?? throw new InvalidOperationException("coupon row missing");
            var answer = await supplier.CancelAsync(coupon, ct);
            if (answer.Outcome is not (CoufunOutcome.Success or CoufunOutcome.Transient))
            {
                refused = answer; // rolled back when this returns; recorded below
                return CsResult.Conflict(CsProblemCodes.SupplierRefused, CsRules.CancelPending);
            }

            var done = answer.Outcome == CoufunOutcome.Success;
            if (done)
            {
                await CouponTransitions.CancelledAsync(x.Connection, x.Transaction, coupon, CouponStatusSource.CustomerService, $"쿠폰폐기: {Reasons[reason]}", x.Now, ct);
            }

            await cancellations.RecordCustomerServiceAsync(x.Connection, x.Transaction, coupon.Id, s.CampaignId, s.ItemId, done ? CouponCancelState.Done : CouponCancelState.Retry, answer, ct);
            var itemAfter = preSend ? ItemStatus.Cancelled : s.ItemStatus;
            if (preSend)
            {
                await DeliveryItemTransitions.CsCancelledAsync(x.Connection, x.Transaction, s.ItemId, s.ItemStatus, x.Now, ct);
            }
            else
            {
                await DeliveryItemTransitions.CouponDiscardedAsync(x.Connection, x.Transaction, s.ItemId, x.Now, ct);
            }

            var recipient = await CsItemStates.RecipientAsync(x.Connection, x.Transaction, s.ItemId, ct);
            await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(s.ItemId, s.CampaignId, s.CouponId, CsActionNames.Discard, done ? CsActionNames.Success : CsActionNames.Pending)
            {
                Before = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
                After = CsItemStates.Describe(itemAfter, done ? CouponStatus.Cancelled : s.CouponStatus),
                ReasonCode = reason,
                Memo = memo,
                Failure = done ? null : $"COUFUN 응답 없음 ({answer.Failure ?? answer.ResultCode}): 자동 재시도",
                Subject = recipient.PhoneEnc is null ? null : reader.Masked(recipient.PhoneEnc, recipient.PhonePlace, Masking.Phone),
                Details = new Dictionary<string, string?> { ["coufunCode"] = answer.ResultCode, ["withdrawn"] = (s.ItemStatus == ItemStatus.Queued).ToString() },
            }, ct);
            await x.Transaction.CommitAsync(ct);
            return done ? CsResult.Done(Success) : CsResult.Accepted(Pending);
        }, "C/S discard", ct);

        return refused is null ? result : await supplier.CancelRefusedAsync(itemId, refused, CsActionNames.Discard, reason, memo, actor, CsRules.Used, ct);
    }
}
