using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Features.Recipients;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Security.Masking;
using CouponDesk.Security.Pii;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>
/// 번호변경 (spec §3.4.3, D13/D14). Before any message of the coupon reached the agent (spec D14) only the number changes:
/// a <c>ready</c> message is withdrawn and the same coupon queued again to the new number (new CLIENT_KEY, the same
/// reservation), nothing is cancelled or bought. After (spec D13): the old coupon is cancelled at COUFUN under the item's
/// lock; only when that succeeded (or COUFUN says it was already cancelled) the old item becomes REPLACED and a new item
/// for the new number is ordered through the exactly-once issuance path (a C/S order with a deterministic TR_ID), then
/// drawn and sent as AFTER_PHONE_CHANGE — at once when it can be, else by the C/S follow-up ("자동으로 재시도합니다").
/// At most 2 per lineage; not after expiry; not to a number already in the campaign; history kept in <c>phone_changes</c>.
/// </summary>
public sealed class CsPhoneChange(
    CsActionFrame frame,
    CsSender sender,
    CsSupplier supplier,
    CsJournal journal,
    CsReissue reissue,
    CouponRepository coupons,
    CouponCancellations cancellations,
    IssuancePlanner planner,
    SnapMessageCanceller canceller,
    PiiProtector pii)
{
    public const string Success = "휴대폰 번호가 변경되었습니다.";
    public const string ReissueLater = "기존 쿠폰은 취소되었으나 새 쿠폰 발급에 실패했습니다. 자동으로 재시도합니다.";
    public const string WrongFormat = "휴대폰 번호는 010으로 시작하는 11자리 숫자로 입력해주세요.";
    public const string SameNumber = "번호가 동일합니다. 확인 후 다시 입력하세요.";
    public const string AlreadyInCampaign = "동일한 번호가 이미 캠페인에 존재합니다.";

    public async Task<CsResult> ChangeAsync(long itemId, int? version, string newPhoneInput, string? memo, AuditActor actor, CancellationToken ct)
    {
        var newPhone = newPhoneInput.Length <= CsQuery.MaxPhoneInput ? PhoneNumber.Normalize(newPhoneInput).Normalized : null;
        if (newPhone is null)
        {
            return CsResult.Refused(ApiProblem.Validation("newPhone", WrongFormat));
        }

        CoufunResult<CoufunCancelled>? refused = null;
        (long Item, long Order)? replacement = null;
        var result = await frame.RunAsync(itemId, version, a => a.ChangeNumber, async x =>
        {
            var recipient = await CsItemStates.RecipientAsync(x.Connection, x.Transaction, itemId, ct);
            var oldPhone = pii.Decrypt(recipient.PhoneEnc!, recipient.PhonePlace); // the rules refuse a purged phone
            if (oldPhone == newPhone)
            {
                return CsResult.Refused(ApiProblem.Validation("newPhone", SameNumber));
            }

            if (await InCampaignAsync(x, newPhone, ct))
            {
                return CsResult.Conflict(CsProblemCodes.NumberTaken, AlreadyInCampaign);
            }

            if (x.Allowed.ChangeMode == PhoneChangeMode.BeforeSend)
            {
                return await BeforeSendAsync(x, recipient, oldPhone, newPhone, memo, actor, ct);
            }

            var coupon = await coupons.LockAsync(x.Connection, x.Transaction, x.State.CouponId!.Value, ct) ?? throw new InvalidOperationException("coupon row missing");
            var answer = await supplier.CancelAsync(coupon, ct);
            if (answer.Outcome != CoufunOutcome.Success)
            {
                // Rolled back when this returns; the refusal is recorded (and what COUFUN said applied) in a transaction of its own.
                refused = answer;
                return CsResult.Refused(ApiProblem.Conflict(CsProblemCodes.SupplierRefused, CsRules.CancelPending));
            }

            replacement = await AfterSendAsync(x, recipient, coupon, answer, oldPhone, newPhone, memo, actor, ct);
            return CsResult.Done(Success);
        }, "C/S phone change", ct);

        if (refused is not null)
        {
            return await supplier.CancelRefusedAsync(itemId, refused, CsActionNames.PhoneChange, null, memo, actor, CsRules.UsedNoChange, ct);
        }

        if (replacement is { } r && !await reissue.CompleteAsync(r.Item, r.Order, ct))
        {
            return CsResult.Accepted(ReissueLater);
        }

        return result;
    }

    private Task<bool> InCampaignAsync(CsActionFrame.Context x, string phone, CancellationToken ct) =>
        x.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            SELECT EXISTS (SELECT 1 FROM recipient_list_rows r JOIN delivery_items d ON d.list_id = r.list_id AND d.seq = r.seq
                           WHERE d.campaign_id = @campaignId AND r.phone_bidx = @bidx AND d.status <> '{ItemStatus.Replaced}')
            """, new { campaignId = x.State.CampaignId, bidx = pii.PhoneBlindIndex(phone) }, x.Transaction, cancellationToken: ct));

    /// <summary>spec D14: the number changes in place; a ready message is withdrawn and the same coupon queued again to the new number.</summary>
    private async Task<CsResult> BeforeSendAsync(CsActionFrame.Context x, CsItemStates.Recipient recipient, string oldPhone, string newPhone, string? memo, AuditActor actor, CancellationToken ct)
    {
        var s = x.State;
        return await sender.GuardAsync(async staged =>
        {
            long? messageId = null;
            if (s.ItemStatus == ItemStatus.Queued)
            {
                var outcome = (await canceller.WithdrawAsync(x.Connection, x.Transaction, [s.MessageId!.Value], ct))[0];
                if (!outcome.IsWithdrawn)
                {
                    return CsResult.Conflict(CsProblemCodes.NotAllowed, CsRules.ChangeInFlight);
                }

                var reservation = await x.Connection.QuerySingleAsync<(bool Reserved, DateTime ReqAt)>(new CommandDefinition(
                    "SELECT reserved, req_at FROM messages WHERE id = @id", new { id = s.MessageId }, x.Transaction, cancellationToken: ct));
                var reqAt = DateTime.SpecifyKind(reservation.ReqAt, DateTimeKind.Utc);
                staged.Path = await sender.StageImageAsync(x.Connection, x.Transaction, s.CampaignId, s.CouponId!.Value, s.MessageId, ct);
                var queued = await sender.QueueAsync(x.Connection, x.Transaction,
                    new CsMessage(s.ItemId, s.CampaignId, s.CouponId.Value, newPhone, MessageType.AfterPhoneChange, reservation.Reserved && reqAt > x.Now ? reqAt : null), staged.Path, ct);
                messageId = queued.MessageId;
            }

            await UpdateRecipientAsync(x, recipient, newPhone, ct);
            await DeliveryItemTransitions.NumberChangedAsync(x.Connection, x.Transaction, s.ItemId, s.ItemStatus, messageId, s.PhoneChangeCount + 1, x.Now, ct);
            var actionId = await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(s.ItemId, s.CampaignId, s.CouponId, CsActionNames.PhoneChange, CsActionNames.Success)
            {
                Before = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
                After = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
                Memo = memo,
                Subject = Masking.Phone(oldPhone),
                Details = new Dictionary<string, string?> { ["mode"] = "BEFORE_SEND", ["newPhone"] = Masking.Phone(newPhone), ["message"] = messageId?.ToString(CultureInfo.InvariantCulture) },
            }, ct);
            await RecordChangeAsync(x, s.ItemId, null, "BEFORE_SEND", oldPhone, newPhone, actionId, ct);
            await x.Transaction.CommitAsync(ct);
            return CsResult.Done(Success);
        }, "새 번호로 메시지를 접수할 수 없습니다");
    }

    /// <summary>spec D13 after COUFUN cancelled the old coupon: old item REPLACED, new recipient row and item, a C/S order for its coupon.</summary>
    private async Task<(long Item, long Order)> AfterSendAsync(
        CsActionFrame.Context x, CsItemStates.Recipient recipient, CouponRecord coupon, CoufunResult<CoufunCancelled> answer, string oldPhone, string newPhone, string? memo, AuditActor actor, CancellationToken ct)
    {
        var s = x.State;
        var changes = s.PhoneChangeCount + 1;
        await CouponTransitions.CancelledAsync(x.Connection, x.Transaction, coupon, CouponStatusSource.CustomerService, "번호변경: 기존 쿠폰 취소", x.Now, ct);
        await cancellations.RecordCustomerServiceAsync(x.Connection, x.Transaction, coupon.Id, s.CampaignId, s.ItemId, CouponCancelState.Done, answer, ct);
        await DeliveryItemTransitions.ReplacedAsync(x.Connection, x.Transaction, s.ItemId, s.ItemStatus, changes, x.Now, ct);

        // The new recipient row: the next seq of the list, locked so two changes in one campaign never take the same one.
        var seq = await x.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM recipient_list_rows WHERE list_id = @listId FOR UPDATE", new { listId = recipient.ListId }, x.Transaction, cancellationToken: ct));
        // Phone and name are bound to (list, seq): the name is re-encrypted for the new row, not copied (D-SEC-12).
        var name = recipient.NameEnc is null ? null : pii.Encrypt(pii.Decrypt(recipient.NameEnc, recipient.NamePlace), RecipientsModule.NameColumn.PlaceOf(recipient.ListId, seq));
        await x.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx, name_enc)
            VALUES (@listId, @seq, @sourceRow, @phone, @bidx, @name)
            """,
            new { listId = recipient.ListId, seq, sourceRow = recipient.SourceRow, phone = pii.Encrypt(newPhone, RecipientsModule.PhoneColumn.PlaceOf(recipient.ListId, seq)), bidx = pii.PhoneBlindIndex(newPhone), name },
            x.Transaction, cancellationToken: ct));
        var newItem = await DeliveryItemTransitions.CreateReplacementAsync(x.Connection, x.Transaction, s.CampaignId, recipient.ListId, seq, s.ItemId, changes, x.Now, ct);
        var campaign = await x.Connection.QuerySingleAsync<(string GoodsId, int ListPrice)>(new CommandDefinition(
            "SELECT COALESCE(goods_id, @goods), COALESCE(list_price, 0) FROM campaigns WHERE id = @id", new { id = s.CampaignId, goods = coupon.GoodsId }, x.Transaction, cancellationToken: ct));
        var order = await planner.CreateOrderAsync(x.Connection, x.Transaction, s.CampaignId, campaign.GoodsId, campaign.ListPrice, [newItem], OrderOrigin.CustomerService, x.Now, ct);
        var actionId = await journal.WriteAsync(x.Connection, x.Transaction, actor, new CsActionRecord(s.ItemId, s.CampaignId, s.CouponId, CsActionNames.PhoneChange, CsActionNames.Success)
        {
            Before = CsItemStates.Describe(s.ItemStatus, s.CouponStatus),
            After = CsItemStates.Describe(ItemStatus.Replaced, CouponStatus.Cancelled),
            Memo = memo,
            Subject = Masking.Phone(oldPhone),
            Details = new Dictionary<string, string?>
            {
                ["mode"] = "AFTER_SEND",
                ["newPhone"] = Masking.Phone(newPhone),
                ["newItem"] = newItem.ToString(CultureInfo.InvariantCulture),
                ["order"] = order.ToString(CultureInfo.InvariantCulture),
                ["coufunCode"] = answer.ResultCode,
            },
        }, ct);
        await RecordChangeAsync(x, s.ItemId, newItem, "AFTER_SEND", oldPhone, newPhone, actionId, ct);
        await x.Transaction.CommitAsync(ct);
        return (newItem, order);
    }

    private Task<int> UpdateRecipientAsync(CsActionFrame.Context x, CsItemStates.Recipient recipient, string newPhone, CancellationToken ct) =>
        x.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recipient_list_rows SET phone_enc = @phone, phone_bidx = @bidx WHERE list_id = @listId AND seq = @seq",
            new { listId = recipient.ListId, seq = recipient.Seq, phone = pii.Encrypt(newPhone, recipient.PhonePlace), bidx = pii.PhoneBlindIndex(newPhone) }, x.Transaction, cancellationToken: ct));

    // Inserted, then its phones written bound to its id, in the action's transaction (D-SEC-12).
    private async Task RecordChangeAsync(CsActionFrame.Context x, long itemId, long? newItemId, string kind, string oldPhone, string newPhone, long actionId, CancellationToken ct)
    {
        var id = await x.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO phone_changes (campaign_id, item_id, new_item_id, kind, old_phone_bidx, new_phone_bidx, cs_action_id, created_at)
            VALUES (@campaignId, @itemId, @newItemId, @kind, @oldBidx, @newBidx, @actionId, @now);
            SELECT LAST_INSERT_ID();
            """,
            new
            {
                campaignId = x.State.CampaignId,
                itemId,
                newItemId,
                kind,
                actionId,
                now = x.Now,
                oldBidx = pii.PhoneBlindIndex(oldPhone),
                newBidx = pii.PhoneBlindIndex(newPhone),
            }, x.Transaction, cancellationToken: ct));
        await x.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE phone_changes SET old_phone_enc = @oldEnc, new_phone_enc = @newEnc WHERE id = @id",
            new { id, oldEnc = pii.Encrypt(oldPhone, CsSetup.OldPhoneColumn.PlaceOf(id)), newEnc = pii.Encrypt(newPhone, CsSetup.NewPhoneColumn.PlaceOf(id)) },
            x.Transaction, cancellationToken: ct));
    }
}
