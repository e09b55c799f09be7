using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Resends;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline.Resends;

/// <summary>
/// D-PIPE-26: a due resend whose recipient's phone the personal-data purge destroyed (D-RECON-4, <c>phone_enc</c> NULL) is
/// dropped with a clear reason — no exception, no message — while the other resends of the batch are queued.
/// </summary>
public sealed class PurgedPhoneResendTests
{
    [Fact]
    public async Task A_resend_to_a_purged_phone_is_dropped_with_its_reason_and_the_others_are_queued()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        using (var snap = h.Snap.CreateClient())
        {
            (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        }

        var id = await PauseRaceTests.IssuedCampaignAsync(h, 3);
        Assert.Equal(3, await h.BackOffice.Services.GetRequiredService<RenderAndQueue>().StepAsync(CancellationToken.None));
        await using var c = await h.Database.OpenAsync();
        // All three failed with a resend-recommended code and have an automatic resend due; the first one's phone was purged.
        await c.ExecuteAsync(
            """
            UPDATE delivery_items SET status = 'SEND_FAILED', failure_code = '31112', failure_reason = '일시적 전송 실패',
              resend_kind = 'AUTO_RETRY', resend_due_at = UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE WHERE campaign_id = @id
            """, new { id });
        var purged = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM delivery_items WHERE campaign_id = @id", new { id });
        await c.ExecuteAsync(
            """
            UPDATE recipient_list_rows r JOIN delivery_items d ON d.list_id = r.list_id AND d.seq = r.seq
            SET r.phone_enc = NULL, r.phone_bidx = NULL, r.name_enc = NULL WHERE d.id = @purged
            """, new { purged });

        Assert.Equal(3, await h.BackOffice.Services.GetRequiredService<Resender>().StepAsync(CancellationToken.None));

        var item = await c.QuerySingleAsync<(string Status, string? Code, string? Reason, DateTime? Due, string? Kind, string? Lease)>(
            "SELECT status, failure_code, failure_reason, resend_due_at, resend_kind, lease_token FROM delivery_items WHERE id = @purged", new { purged });
        Assert.Equal(("SEND_FAILED", Resender.PhonePurgedCode, Resender.PhonePurgedReason, (DateTime?)null, (string?)null, (string?)null), item);
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE recipient_id = @purged", new { purged }));
        // The two others got their AUTO_RETRY message.
        Assert.Equal(2, await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM delivery_items d JOIN messages m ON m.id = d.message_id WHERE d.campaign_id = @id AND d.status = 'QUEUED' AND m.message_type = 'AUTO_RETRY'", new { id }));
        // Nothing is due any more, so the next pass finds no work, and 실패 건 재시도 would not pick the purged item (not resend-recommended).
        Assert.Equal(0, await h.BackOffice.Services.GetRequiredService<Resender>().StepAsync(CancellationToken.None));
        Assert.NotEqual(CouponDesk.Shared.Snap.SnapOutcome.ResendRecommended, CouponDesk.Shared.Snap.SnapDoneCodes.Classify(Resender.PhonePurgedCode));
    }
}
