using CouponDesk.Data;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Approvals;

/// <summary>One line of 승인 요청 (spec §3.9); times in KST; 대상 and 내용 masked; what the viewer may do with it.</summary>
public sealed record ApprovalLine(
    long Id, string RequestedAt, string? Requester, string Kind, string KindLabel, long? CampaignId, long? ItemId, string? Target, string? Content,
    string? Memo, string ExpiresAt, string Status, string StatusLabel, string? Decider, string? DecidedAt, string? DecisionReason, string? Result,
    bool CanApprove, bool CanWithdraw, bool Mine);

/// <summary>The tabs of 승인 요청 (대기 / 처리됨 / 내 요청), the header badge's count and the dashboard card's numbers.</summary>
public sealed class ApprovalList(DbConnectionFactory connections, PiiReader reader, TimeProvider time)
{
    public const string TabPending = "pending";
    public const string TabHandled = "handled";
    public const string TabMine = "mine";

    private const int Limit = 200;

    /// <summary>대기: others' pending requests this user may decide; 처리됨: decided in the last 30 days; 내 요청: this user's own, all states.</summary>
    public async Task<IReadOnlyList<ApprovalLine>> ListAsync(string tab, long userId, string role, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var where = tab switch
        {
            TabPending => $"a.status = '{ApprovalStatus.Pending}' AND a.expires_at > @now AND a.requested_by <> @userId" + (role == Roles.Admin ? "" : $" AND a.kind <> '{ApprovalKinds.BulkDiscard}'"),
            TabHandled => $"a.status <> '{ApprovalStatus.Pending}' AND a.updated_at >= @since",
            _ => "a.requested_by = @userId AND a.created_at >= @since",
        };
        await using var c = await connections.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {ApprovalRecord.Columns}, ru.login_id AS Requester, du.login_id AS Decider
            FROM approval_requests a LEFT JOIN users ru ON ru.id = a.requested_by LEFT JOIN users du ON du.id = a.decided_by
            WHERE {where} ORDER BY a.id DESC LIMIT {Limit}
            """,
            new { now, userId, since = now.AddDays(-30) }, cancellationToken: ct));
        return [.. rows.Select(r => Line(r, r.Requester, r.Decider, userId, role, now))];
    }

    /// <summary>The header badge: pending requests this user may decide (others', unexpired; bulk discards for ADMINs only).</summary>
    public async Task<int> CountAsync(long userId, string role, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM approval_requests a WHERE a.status = '{ApprovalStatus.Pending}' AND a.expires_at > @now AND a.requested_by <> @userId
            {(role == Roles.Admin ? "" : $"AND a.kind <> '{ApprovalKinds.BulkDiscard}'")}
            """, new { now = time.GetUtcNow().UtcDateTime, userId }, cancellationToken: ct));
    }

    /// <summary>All pending requests (the dashboard's 확인 필요 card; no personal data).</summary>
    public async Task<int> PendingTotalAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM approval_requests WHERE status = '{ApprovalStatus.Pending}' AND expires_at > @now", new { now = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    private sealed record Row : ApprovalRecord
    {
        public string? Requester { get; init; }

        public string? Decider { get; init; }
    }

    private ApprovalLine Line(ApprovalRecord r, string? requester, string? decider, long userId, string role, DateTime now)
    {
        var pending = r.Status == ApprovalStatus.Pending && r.ExpiresAt > now;
        var mine = r.RequestedBy == userId;
        var status = r.Status == ApprovalStatus.Pending && !pending ? ApprovalStatus.Expired : r.Status;
        return new ApprovalLine(
            r.Id, Kst.FormatMinute(r.CreatedAt), requester, r.Kind, ApprovalKinds.Label(r.Kind), r.CampaignId, r.ItemId, r.TargetLabel, r.Summary,
            r.MemoEnc is null ? null : reader.TryReveal(r.MemoEnc, ApprovalRequests.MemoColumn.PlaceOf(r.Id)) ?? PiiReader.Unreadable,
            Kst.FormatMinute(r.ExpiresAt), status, ApprovalStatus.Label(status), decider, r.DecidedAt is { } d ? Kst.FormatMinute(d) : null, r.DecisionReason,
            r.ResultMessage, pending && !mine && ApprovalKinds.MayApprove(r.Kind, role), pending && mine, mine);
    }
}
