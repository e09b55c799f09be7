using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>
/// What a campaign-cancel approval request (spec §1.3 item 6) means for the starter: a pending one holds the campaign,
/// an expired one stops it ("취소 승인 요청 만료"), a rejected or withdrawn one lets it start (late). Only the latest
/// request counts. <c>approval_requests</c> belongs to the two-person approval feature (spec §1.3); keep this query in
/// step with it.
/// </summary>
public static class CancelApprovals
{
    public const string Kind = "CAMPAIGN_CANCEL";

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
            { Status: "PENDING" or "EXPIRED" } => CancelRequestState.Expired,
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
