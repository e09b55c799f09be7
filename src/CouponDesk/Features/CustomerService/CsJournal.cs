using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.CustomerService;

/// <summary>The C/S actions (<c>cs_actions.action</c>) and results, with their Korean labels.</summary>
public static class CsActionNames
{
    public const string Resend = "RESEND";
    public const string PhoneChange = "PHONE_CHANGE";
    public const string Discard = "DISCARD";
    public const string Memo = "MEMO";
    public const string Refresh = "REFRESH";

    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";

    /// <summary>Done on our side; a follow-up (COUFUN cancel retry, replacement issue) continues automatically.</summary>
    public const string Pending = "PENDING";

    public static string Label(string action) => action switch
    {
        Resend => "재발송",
        PhoneChange => "번호변경",
        Discard => "쿠폰폐기",
        Memo => "기타",
        Refresh => "상태 새로고침",
        _ => action,
    };

    public static string ResultLabel(string result) => result switch
    {
        Success => "성공",
        Failed => "실패",
        Pending => "처리 중",
        _ => result,
    };

    /// <summary>The audit action of each C/S action (stable names; 감사로그 filters on them).</summary>
    public static string AuditAction(string action) => action switch
    {
        Resend => "cs.resend",
        PhoneChange => "cs.phone_changed",
        Discard => "cs.coupon_discarded",
        Memo => "cs.memo",
        Refresh => "cs.status_refreshed",
        _ => "cs." + action.ToLowerInvariant(),
    };
}

/// <summary>One C/S action as recorded: what, the outcome, the states before and after, the memo.</summary>
public sealed record CsActionRecord(long ItemId, long CampaignId, long? CouponId, string Action, string Result)
{
    public string? ReasonCode { get; init; }

    public string? Failure { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }

    public string? Memo { get; init; }

    /// <summary>Masked: whose data (the phone, <c>010-****-1234</c>), for the audit row's subject.</summary>
    public string? Subject { get; init; }

    public IReadOnlyDictionary<string, string?>? Details { get; init; }
}

/// <summary>
/// Writes a C/S action twice in the caller's transaction: a <c>cs_actions</c> row (CS 처리 이력, memo encrypted) and an
/// audit row with the states before and after (the audit row last: it holds the chain lock until the commit).
/// </summary>
public sealed class CsJournal(AuditTrail audit, PiiProtector pii, TimeProvider time)
{
    public async Task<long> WriteAsync(MySqlConnection c, MySqlTransaction tx, AuditActor actor, CsActionRecord record, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO cs_actions (item_id, campaign_id, coupon_id, action, result, reason_code, failure, before_state, after_state, memo_enc, actor_user_id, actor_login, approver_login, created_at)
            VALUES (@ItemId, @CampaignId, @CouponId, @Action, @Result, @ReasonCode, @failure, @Before, @After, @memo, @user, @login, @approver, @now);
            SELECT LAST_INSERT_ID();
            """,
            new
            {
                record.ItemId,
                record.CampaignId,
                record.CouponId,
                record.Action,
                record.Result,
                record.ReasonCode,
                record.Before,
                record.After,
                failure = record.Failure is { Length: > 300 } f ? f[..300] : record.Failure,
                memo = (byte[]?)null, // written below, bound to this row (D-SEC-12: insert, then the value, in one transaction)
                // An approved request is the requester's action, with the one who approved it as 승인자 (spec §3.4.2).
                user = actor.Approval is { } a ? a.RequesterId : actor.UserId,
                login = actor.Approval is { } b ? b.RequesterLogin : actor.Login,
                approver = actor.Approval is null ? null : actor.Login,
                now,
            }, tx, cancellationToken: ct));
        if (!string.IsNullOrEmpty(record.Memo))
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE cs_actions SET memo_enc = @memo WHERE id = @id", new { id, memo = pii.Encrypt(record.Memo, CsSetup.MemoColumn.PlaceOf(id)) }, tx, cancellationToken: ct));
        }

        var details = new Dictionary<string, string?>
        {
            ["campaign"] = record.CampaignId.ToString(CultureInfo.InvariantCulture),
            ["before"] = record.Before,
            ["after"] = record.After,
            ["result"] = record.Result,
            ["csAction"] = id.ToString(CultureInfo.InvariantCulture),
        };
        if (actor.Approval is { } approval)
        {
            details["approvalRequest"] = approval.RequestId.ToString(CultureInfo.InvariantCulture);
            details["requester"] = approval.RequesterLogin;
        }

        if (record.ReasonCode is not null)
        {
            details["reasonCode"] = record.ReasonCode;
        }

        if (!string.IsNullOrEmpty(record.Memo))
        {
            details["memo"] = "(암호화 저장)"; // the memo itself stays out of the audit trail (free text, spec §7.1)
        }

        foreach (var (key, value) in record.Details ?? new Dictionary<string, string?>())
        {
            details[key] = value;
        }

        await audit.WriteAsync(actor.Entry(CsActionNames.AuditAction(record.Action), record.Result == CsActionNames.Failed ? AuditOutcome.Failure : AuditOutcome.Success) with
        {
            TargetType = "delivery_item",
            TargetId = record.ItemId.ToString(CultureInfo.InvariantCulture),
            Subject = record.Subject,
            Reason = record.Failure,
            Details = details,
        }, c, tx, ct);
        return id;
    }
}
