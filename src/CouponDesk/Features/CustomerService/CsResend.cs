using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// 재발송 (spec §3.4.3, D9/D10): the same coupon — same barcode, same picture (re-drawn if its file was purged) — to the
/// item's current number as a new CS_RESEND message with a new CLIENT_KEY, sent now; never buys. At most 3 per coupon
/// (C/S resends and 실패 건 재시도 count, automatic resends do not), refused while a message is in flight, and between
/// 21:00 and 08:00 KST (the 설정 screen's night window) only after the operator confirmed the night send.
/// </summary>
public sealed class CsResend(CsActionFrame frame, CsSender sender, CsJournal journal, CampaignOptions nightWindow, PiiProtector pii)
{
    public const string Success = "재발송 처리되었습니다.";
    public const string NightQuestion = "야간 시간대입니다. 계속하시겠습니까?";

    public Task<CsResult> ResendAsync(long itemId, int? version, bool confirmNight, string? memo, AuditActor actor, CancellationToken ct) =>
        frame.RunAsync(itemId, version, a => a.Resend, async x =>
        {
            // The live 야간 발송 시간대 of 설정 (D-SET-6): read at each resend, so a change needs no restart.
            if (nightWindow.IsNight(Kst.ToKst(x.Now)) && !confirmNight)
            {
                return CsResult.Conflict(CsProblemCodes.NightConfirmation, NightQuestion);
            }

            var s = x.State;
            var recipient = await CsItemStates.RecipientAsync(x.Connection, x.Transaction, itemId, ct);
            var phone = pii.Decrypt(recipient.PhoneEnc!, recipient.PhonePlace); // the rules refuse a purged phone; a misplaced one throws (D-SEC-12)
            return await sender.GuardAsync(async staged =>
            {
                staged.Path = await sender.StageImageAsync(x.Connection, x.Transaction, s.CampaignId, s.CouponId!.Value, s.MessageId, ct);
                var queued = await sender.QueueAsync(x.Connection, x.Transaction, new CsMessage(itemId, s.CampaignId, s.CouponId.Value, phone, MessageType.CsResend), staged.Path, ct);
                await DeliveryItemTransitions.CsResendQueuedAsync(x.Connection, x.Transaction, itemId, s.ItemStatus, queued.MessageId, x.Now, ct);
                await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(itemId, s.CampaignId, s.CouponId, CsActionNames.Resend, CsActionNames.Success)
                {
                    Before = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
                    After = CsItemStates.Describe(ItemStatus.Queued, s.CouponStatus),
                    Memo = memo,
                    Subject = Masking.Phone(phone),
                    Details = new Dictionary<string, string?> { ["message"] = queued.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["clientKey"] = queued.ClientKey },
                }, ct);
                await x.Transaction.CommitAsync(ct);
                return CsResult.Done(Success);
            }, "메시지를 접수할 수 없습니다");
        }, "C/S resend", ct);
}
