using CouponDesk.Features.Audit;
using CouponDesk.Features.Pipeline;
using CouponDesk.Features.Pipeline.Resends;
using CouponDesk.Integrations.Snap;
using CouponDesk.Web.Errors;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// D-PIPE-24: a render batch claimed before a pause never leaves messages behind it. The pipeline is driven step by step
/// (no worker role) and the pause is made at the two dangerous moments through the render step's test seams: after the
/// batch was rendered but before its queue transaction, and while the queue transaction is inserting.
/// </summary>
public sealed class PauseRaceTests
{
    private static readonly AuditActor Actor = new(null, "pause-race-test", "127.0.0.1", null, null);

    [Fact]
    public async Task A_batch_rendered_before_a_pause_queues_nothing_and_is_released()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var id = await IssuedCampaignAsync(h, 6);
        var render = h.BackOffice.Services.GetRequiredService<RenderAndQueue>();
        var control = h.BackOffice.Services.GetRequiredService<PipelineControl>();
        Outcome<int>? paused = null;
        render.BeforeQueueTransaction = async (campaignId, ct) => paused = await control.PauseAsync(campaignId, Actor, ct);
        try
        {
            Assert.Equal(6, await render.StepAsync(CancellationToken.None));
        }
        finally
        {
            render.BeforeQueueTransaction = null;
        }

        Assert.True(paused?.Done);
        Assert.Equal("PAUSED", await h.StatusAsync(id));
        await using var c = await h.Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id", new { id }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG"));
        // Back to ISSUED with no lease, so a resume queues them at once; the staged images are gone.
        Assert.Equal(6, await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'ISSUED' AND lease_token IS NULL AND lease_until IS NULL AND message_id IS NULL", new { id }));
        Assert.Empty(StagedImages(h));

        // Resumed, the same items are queued by the next step.
        Assert.True((await control.ResumeAsync(id, Actor, CancellationToken.None)).Done);
        Assert.Equal(6, await render.StepAsync(CancellationToken.None));
        Assert.Equal(6, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status IN ('QUEUED', 'SENT')", new { id }));
    }

    [Fact]
    public async Task A_pause_during_the_queue_transaction_waits_for_it_and_withdraws_what_it_queued()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        using (var snap = h.Snap.CreateClient())
        {
            (await snap.PostAsync("_control/pause", null)).EnsureSuccessStatusCode(); // the agent takes nothing
        }

        var id = await IssuedCampaignAsync(h, 6);
        var render = h.BackOffice.Services.GetRequiredService<RenderAndQueue>();
        var control = h.BackOffice.Services.GetRequiredService<PipelineControl>();
        Task<Outcome<int>>? pause = null;
        var pauseWaited = false;
        render.InQueueTransaction = async (campaignId, ct) =>
        {
            pause = Task.Run(() => control.PauseAsync(campaignId, Actor, CancellationToken.None), ct);
            // The pause must block on the run row while this transaction is open; give it up to 20 s to get there.
            for (var i = 0; i < 200 && !pause.IsCompleted && !pauseWaited; i++)
            {
                await Task.Delay(100, ct);
                pauseWaited = await LockWaitsAsync(h) > 0;
            }
        };
        try
        {
            Assert.Equal(6, await render.StepAsync(CancellationToken.None));
        }
        finally
        {
            render.InQueueTransaction = null;
        }

        Assert.NotNull(pause);
        var result = await pause.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(pauseWaited, "the pause did not wait for the queue transaction");
        Assert.True(result.Done);
        Assert.Equal(6, result.Value);
        Assert.Equal("PAUSED", await h.StatusAsync(id));
        await using var c = await h.Database.OpenAsync();
        // Everything the batch queued was withdrawn by the pause: no ready message of a paused campaign.
        Assert.Equal(6, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND status = 'WITHDRAWN'", new { id }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND status <> 'WITHDRAWN'", new { id }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE MSG_STATUS = 'ready'"));
        Assert.Equal(6, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'ISSUED' AND message_id IS NULL", new { id }));
    }

    [Fact]
    public async Task A_resend_prepared_before_a_pause_queues_nothing_and_stays_due()
    {
        await using var h = await PipelineHarness.StartAsync(roles: "web");
        var id = await IssuedCampaignAsync(h, 2);
        Assert.Equal(2, await h.BackOffice.Services.GetRequiredService<RenderAndQueue>().StepAsync(CancellationToken.None));
        await using var c = await h.Database.OpenAsync();
        await c.ExecuteAsync(
            """
            UPDATE delivery_items SET status = 'SEND_FAILED', failure_code = '31112', resend_kind = 'AUTO_RETRY', resend_due_at = UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE
            WHERE campaign_id = @id
            """, new { id });
        var resender = h.BackOffice.Services.GetRequiredService<Resender>();
        var control = h.BackOffice.Services.GetRequiredService<PipelineControl>();
        resender.BeforeQueueTransaction = async (campaignId, ct) => Assert.True((await control.PauseAsync(campaignId, Actor, ct)).Done);
        try
        {
            Assert.Equal(2, await resender.StepAsync(CancellationToken.None));
        }
        finally
        {
            resender.BeforeQueueTransaction = null;
        }

        Assert.Equal("PAUSED", await h.StatusAsync(id));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id", new { id })); // the first sends only
        Assert.Equal(2, await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'SEND_FAILED' AND resend_due_at IS NOT NULL AND lease_token IS NULL", new { id }));

        // Resumed, the resends still due are queued.
        Assert.True((await control.ResumeAsync(id, Actor, CancellationToken.None)).Done);
        Assert.Equal(2, await resender.StepAsync(CancellationToken.None));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE campaign_id = @id AND message_type = 'AUTO_RETRY'", new { id }));
    }

    /// <summary>Starts a campaign due now and issues all its coupons, without rendering anything.</summary>
    internal static async Task<long> IssuedCampaignAsync(PipelineHarness h, int recipients)
    {
        var services = h.BackOffice.Services;
        var lifecycle = services.GetRequiredService<CampaignLifecycle>();
        var planner = services.GetRequiredService<IssuancePlanner>();
        var executor = services.GetRequiredService<OrderExecutor>();
        var id = await h.ScheduleCampaignAsync(recipients);
        await lifecycle.StepAsync(CancellationToken.None);
        await using var c = await h.Database.OpenAsync();
        for (var i = 0; i < 300; i++)
        {
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id AND status = 'ISSUED'", new { id }) == recipients)
            {
                return id;
            }

            await planner.PlanAsync(CancellationToken.None);
            foreach (var order in await executor.ClaimAsync(10, CancellationToken.None))
            {
                await executor.ExecuteAsync(order, CancellationToken.None);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"campaign {id}: not all {recipients} items issued");
    }

    private static async Task<int> LockWaitsAsync(PipelineHarness h)
    {
        await using var c = await h.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
    }

    private static string[] StagedImages(PipelineHarness h)
    {
        var root = h.BackOffice.Services.GetRequiredService<SnapOptions>().ImageDirectory;
        return Directory.Exists(root) ? Directory.GetFiles(root, "*.jpg", SearchOption.AllDirectories) : [];
    }
}
