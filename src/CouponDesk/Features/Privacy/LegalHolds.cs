using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Privacy;

/// <summary>A campaign's 보존 연장 as the API shows it (times UTC; the page shows them in KST).</summary>
public sealed record LegalHoldView(long CampaignId, bool Held, DateTime? HeldUntil, string? Reason, string? SetBy, DateTime? SetAt);

/// <summary>
/// 보존 연장 (legal hold, spec §7.5): set, extend or release a campaign's hold (ADMIN, audited in the same transaction),
/// and the SQL every purge step uses to skip held campaigns.
/// </summary>
public sealed class LegalHolds(DbConnectionFactory connections, AuditTrail audit, TimeProvider time)
{
    /// <summary>A hold lasts at most one year (spec §7.5).</summary>
    public const int MaxDays = 365;

    public const int MaxReasonLength = 200;

    /// <summary>
    /// SQL condition "the campaign <paramref name="campaignIdSql"/> is not on hold at <c>@now</c>" (true for NULL: data
    /// of no campaign cannot be held). Every purge step ANDs it into its selection.
    /// </summary>
    public static string NotHeld(string campaignIdSql) =>
        $"NOT EXISTS (SELECT 1 FROM legal_holds lh WHERE lh.campaign_id = {campaignIdSql} AND lh.held_until > @now)";

    public async Task<LegalHoldView?> GetAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        if (!await CampaignExistsAsync(c, null, campaignId))
        {
            return null;
        }

        var row = await c.QuerySingleOrDefaultAsync<(DateTime HeldUntil, string Reason, string SetBy, DateTime SetAt)?>(
            "SELECT held_until, reason, set_by_login, set_at FROM legal_holds WHERE campaign_id = @campaignId AND held_until > @now",
            new { campaignId, now = time.GetUtcNow().UtcDateTime });
        return row is { } r
            ? new LegalHoldView(campaignId, true, DateTime.SpecifyKind(r.HeldUntil, DateTimeKind.Utc), r.Reason, r.SetBy, DateTime.SpecifyKind(r.SetAt, DateTimeKind.Utc))
            : new LegalHoldView(campaignId, false, null, null, null, null);
    }

    /// <summary>Sets (or replaces) the hold: from now for <paramref name="days"/> days. Input is validated by the endpoint.</summary>
    public async Task<Outcome<LegalHoldView>> SetAsync(long campaignId, int days, string reason, AuditActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddDays(days);
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        if (!await CampaignExistsAsync(c, tx, campaignId))
        {
            return Refusal.NotFound("발송 건을 찾을 수 없습니다.");
        }

        var login = actor.Login ?? AuditEntry.SystemActor;
        await c.ExecuteAsync(
            """
            INSERT INTO legal_holds (campaign_id, held_until, reason, set_by_login, set_at) VALUES (@campaignId, @until, @reason, @login, @now)
            ON DUPLICATE KEY UPDATE held_until = VALUES(held_until), reason = VALUES(reason), set_by_login = VALUES(set_by_login), set_at = VALUES(set_at)
            """,
            new { campaignId, until, reason, login, now }, tx);
        await audit.WriteAsync(
            actor.Entry("campaign.legal_hold_set") with
            {
                TargetType = "campaign",
                TargetId = campaignId.ToString(CultureInfo.InvariantCulture),
                Reason = reason,
                Details = new Dictionary<string, string?> { ["days"] = days.ToString(CultureInfo.InvariantCulture), ["heldUntil"] = until.ToString("O", CultureInfo.InvariantCulture) },
            },
            c,
            tx,
            cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new LegalHoldView(campaignId, true, until, reason, login, now);
    }

    /// <summary>Ends the hold now; the next purge run destroys what is due.</summary>
    public async Task<Outcome<LegalHoldView>> ReleaseAsync(long campaignId, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        if (!await CampaignExistsAsync(c, tx, campaignId))
        {
            return Refusal.NotFound("발송 건을 찾을 수 없습니다.");
        }

        var removed = await c.ExecuteAsync("DELETE FROM legal_holds WHERE campaign_id = @campaignId", new { campaignId }, tx);
        if (removed == 0)
        {
            return Refusal.Conflict("not_on_hold", "보존 연장 중인 발송 건이 아닙니다.");
        }

        await audit.WriteAsync(
            actor.Entry("campaign.legal_hold_released") with { TargetType = "campaign", TargetId = campaignId.ToString(CultureInfo.InvariantCulture) },
            c,
            tx,
            cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new LegalHoldView(campaignId, false, null, null, null, null);
    }

    private static Task<bool> CampaignExistsAsync(MySqlConnector.MySqlConnection c, MySqlConnector.MySqlTransaction? tx, long campaignId) =>
        c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = @campaignId AND deleted_at IS NULL)", new { campaignId }, tx);
}
