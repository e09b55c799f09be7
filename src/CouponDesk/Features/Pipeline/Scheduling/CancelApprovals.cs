using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// What a campaign-cancel approval request (spec §1.3 item 6) means for the starter: a pending one holds the campaign,
/// one past its expiry that the expiry job has not reached yet stops it ("취소 승인 요청 만료"), a rejected, withdrawn or
/// failed one lets it start (late). Only the latest request counts. A request the job marked EXPIRED no longer counts:
/// the job stopped the campaign then (<c>CampaignCancelApproval.OnExpiredAsync</c>), and a person who resumes it has
/// decided (D-APR-5). <c>approval_requests</c> belongs to <c>Features/Approvals</c>.
/// </summary>
public static class CancelApprovals
{
    public const string Kind = "CAMPAIGN_CANCEL";

    /// <summary>The stop of a campaign whose cancel request expired unanswered (spec §1.3 item 6).</summary>
    public const string ExpiredCode = "CANCEL_EXPIRED";

    public const string ExpiredReason = "취소 승인 요청 만료: 승인되지 않은 취소 요청이 만료되어 시작하지 않았습니다. 재개 또는 취소해 주세요.";

    /// <summary>SQL condition on <c>campaigns</c> (alias-free, parameter <c>@now</c>): no pending, unexpired cancel request.</summary>
    public const string NotHeldSql =
        "NOT EXISTS (SELECT 1 FROM approval_requests a WHERE a.kind = 'CAMPAIGN_CANCEL' AND a.target_id = campaigns.id AND a.status = 'PENDING' AND a.expires_at > @now)";

    public static async Task<CancelRequestState> StateAsync(MySqlConnection c, MySqlTransaction? tx, long campaignId, DateTime nowUtc, CancellationToken ct)
    {
        var latest = await c.QuerySingleOrDefaultAsync<(string Status, DateTime ExpiresAt)?>(new CommandDefinition(
            "SELECT status, expires_at FROM approval_requests WHERE kind = @Kind AND target_id = @campaignId ORDER BY id DESC LIMIT 1",
            new { Kind, campaignId }, tx, cancellationToken: ct));
        return latest switch
        {
            null => CancelRequestState.None,
            { Status: "PENDING" } r when r.ExpiresAt > nowUtc => CancelRequestState.Pending,
            { Status: "PENDING" } => CancelRequestState.Expired,
            _ => CancelRequestState.None,
        };
    }
}

public enum CancelRequestState
{
    None,
    Pending,
    Expired,
}
