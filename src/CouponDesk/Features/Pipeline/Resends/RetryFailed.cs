using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline.Failures;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>What 실패 건 재시도 did (the endpoint's 200 answer).</summary>
public sealed record RetryFailedResult(int Retried, int Issue, int Render, int Send);

/// <summary>
/// 실패 건 재시도 (spec §4.1 C15, §4.2 D9/D11, §3.3.3): a finished campaign (COMPLETED / PARTIALLY_FAILED / FAILED) sends its
/// retryable failures again — ISSUE_FAILED items go back to issuance (PENDING, attempts reset; never those short-delivered
/// by COUFUN, which a person must settle), RENDER_FAILED items back to drawing (ISSUED), and SEND_FAILED items whose
/// DONE_CODE is resend-recommended get a BULK_RETRY resend (due now; counted in the item's resend count, at most
/// <see cref="ResendOptions.MaxOperatorResends"/>, only while the coupon is unused and valid). The campaign goes back to
/// SENDING (ISSUING before its send time) and is finished again by C14. One transaction with the audit row last;
/// nothing retryable → refused, nothing changed.
/// </summary>
public sealed class RetryFailed(DbConnectionFactory connections, AuditTrail audit, ResendOptions options, TimeProvider time)
{
    /// <summary>Issuance failures a retry cannot fix: COUFUN delivered fewer coupons than bought (settled by a person, D-PIPE-2).</summary>
    public static readonly string[] NotRetryableIssueCodes = ["SHORT"];

    public Task<Outcome<RetryFailedResult>> RetryAsync(long id, AuditActor actor, CancellationToken ct) =>
        DeadlockRetry.RunAsync(() => RetryOnceAsync(id, actor, ct), "retry failed");

    private async Task<Outcome<RetryFailedResult>> RetryOnceAsync(long id, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(Kst.ToKst(now)).ToDateTime(TimeOnly.MinValue);
        await using var c = await connections.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var campaign = await c.QuerySingleOrDefaultAsync<(string Status, DateTime? ScheduledAt)?>(new CommandDefinition(
            "SELECT status, scheduled_at FROM campaigns WHERE id = @id AND deleted_at IS NULL FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (campaign is null)
        {
            return Refusal.NotFound();
        }

        var status = campaign.Value.Status;
        if (status is not (CampaignStatus.Completed or CampaignStatus.PartiallyFailed or CampaignStatus.Failed))
        {
            return Refusal.Conflict("CAMPAIGN_NOT_FINISHED", "실패 건 재시도는 완료, 부분오류 또는 실패 상태의 발송에서만 할 수 있습니다.");
        }

        var (issue, render) = await DeliveryItemTransitions.RetryFailedAsync(c, tx, id, NotRetryableIssueCodes, now, ct);

        // Resend-recommended codes include ranges (49xxx), so the code check is done here rather than in SQL.
        var sendCandidates = (await c.QueryAsync<(long Id, string? Code)>(new CommandDefinition(
            $"""
            SELECT d.id, d.failure_code FROM delivery_items d JOIN coupons k ON k.id = d.coupon_id
            WHERE d.campaign_id = @id AND d.status = '{ItemStatus.SendFailed}' AND d.resend_due_at IS NULL AND d.resend_count < @max
              AND k.status = '{CouponStatus.Unused}' AND k.valid_until >= @today
            FOR UPDATE
            """, new { id, max = options.MaxOperatorResends, today }, tx, cancellationToken: ct))).ToList();
        var resend = sendCandidates.Where(s => SnapDoneCodes.Classify(s.Code) == SnapOutcome.ResendRecommended).Select(s => s.Id).ToArray();
        await DeliveryItemTransitions.BulkResendDueAsync(c, tx, resend, now, ct);

        var retried = issue + render + resend.Length;
        if (retried == 0)
        {
            await tx.RollbackAsync(ct);
            return Refusal.Conflict("NOTHING_TO_RETRY", "재시도할 수 있는 실패 건이 없습니다. 발송 실패 사유가 재전송 대상이 아니거나 재발송 한도(3회)를 넘었습니다.");
        }

        await CampaignTransitions.RetryFailedAsync(c, tx, id, status, campaign.Value.ScheduledAt, now, ct);
        await IssuanceFailureRules.ResetAsync(c, tx, id, ct);
        await audit.WriteAsync(actor.Entry("campaign.retry-failed") with
        {
            TargetType = "campaign",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Details = new Dictionary<string, string?>
            {
                ["from"] = status,
                ["issue"] = issue.ToString(CultureInfo.InvariantCulture),
                ["render"] = render.ToString(CultureInfo.InvariantCulture),
                ["send"] = resend.Length.ToString(CultureInfo.InvariantCulture),
            },
        }, c, tx, ct);
        await tx.CommitAsync(ct);
        return new RetryFailedResult(retried, issue, render, resend.Length);
    }
}
