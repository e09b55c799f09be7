using CouponDesk.Features.Messages;
using CouponDesk.Shared.Text;
using CouponDesk.Shared.Time;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// spec D9 (automatic part, spec §4.5, §5.5, snap-agent.md §12.2): when the <b>current</b> message of a delivery item fails
/// with a resend-recommended code, the item becomes SEND_FAILED with an automatic resend due after the 1st or 2nd delay —
/// at most <see cref="ResendOptions.MaxAutomatic"/> times, only while its coupon is unused, not cancelled and not expired,
/// and only while its campaign still sends (a paused or stopped campaign keeps the resend for its resume). Runs in the
/// result sync's transaction, so the failure and the due resend become visible together and the campaign can never be
/// finished in between. It sets the failure itself, so it does not depend on running after <see cref="PipelineResultHandler"/>.
/// </summary>
public sealed class AutoResendPlanner(ResendOptions options, TimeProvider time) : IDeliveryResultHandler
{
    public async Task HandleAsync(IReadOnlyList<DeliveryResult> results, MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (options.MaxAutomatic == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(Kst.ToKst(now)).ToDateTime(TimeOnly.MinValue);
        var resendable = results.Where(r => r is { CampaignId: not null, RecipientId: not null, Outcome: DeliveryOutcome.ResendRecommended });
        foreach (var group in resendable.GroupBy(r => (r.DoneCode, r.DoneCodeDescription)))
        {
            var ids = group.Select(r => r.MessageId).ToArray();
            var reason = group.Key.DoneCodeDescription ?? "발송 실패";
            await DeliveryItemTransitions.AutoResendDueAsync(connection, transaction, ids, group.Key.DoneCode, reason.Truncate(200),
                new DeliveryItemTransitions.AutoResendRule(options.FirstDelaySeconds, options.SecondDelaySeconds, options.MaxAutomatic), today, now, cancellationToken);
        }
    }
}
