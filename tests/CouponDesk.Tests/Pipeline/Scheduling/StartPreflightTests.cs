using CouponDesk.Features.Pipeline;

namespace CouponDesk.Tests.Pipeline.Scheduling;

/// <summary>
/// C5 pre-flight (spec §4.1, §1.3 item 6): a campaign due to start whose product was discontinued, whose sender number
/// is no longer registered, or whose cancel request expired goes to ERROR with the Korean reason and a
/// <c>campaign.error</c> alert; a pending cancel request holds it, and it starts once the request is rejected.
/// </summary>
public sealed class StartPreflightTests(SchedulingFactory f) : IClassFixture<SchedulingFactory>
{
    [Fact]
    public async Task A_discontinued_product_stops_the_campaign_with_the_reason()
    {
        var id = await DueCampaignAsync();
        var now = DateTime.UtcNow;
        await f.ExecuteAsync(
            """
            INSERT INTO products (goods_id, name, price, ori_price, status, first_seen_at, changed_at, synced_at)
            VALUES ('0000000919', '판매중지 상품', 4230, 4500, 'DISCONTINUED', @now, @now, @now)
            """, new { now });
        await f.ExecuteAsync("UPDATE campaigns SET goods_id = '0000000919' WHERE id = @id", new { id });

        await StepAsync();

        await AssertStoppedAsync(id, "PRODUCT_DISCONTINUED", "상품 판매중지");
    }

    [Fact]
    public async Task A_product_missing_from_the_catalog_stops_the_campaign()
    {
        var id = await DueCampaignAsync();
        await f.ExecuteAsync("UPDATE campaigns SET goods_id = '0000000977' WHERE id = @id", new { id });

        await StepAsync();

        await AssertStoppedAsync(id, "PRODUCT_UNKNOWN", "카탈로그");
    }

    [Fact]
    public async Task An_unregistered_sender_number_stops_the_campaign_with_the_reason()
    {
        var id = await DueCampaignAsync();
        await f.ExecuteAsync("UPDATE campaigns SET sender_number = '0299990000' WHERE id = @id", new { id });

        await StepAsync();

        await AssertStoppedAsync(id, "SENDER_UNREGISTERED", "발신번호 미등록");
    }

    [Fact]
    public async Task A_pending_cancel_request_holds_the_campaign_and_a_rejected_one_lets_it_start()
    {
        var id = await DueCampaignAsync();
        var now = DateTime.UtcNow;
        await f.ExecuteAsync(
            "INSERT INTO approval_requests (kind, target_id, status, created_at, expires_at, updated_at) VALUES ('CAMPAIGN_CANCEL', @id, 'PENDING', @now, @exp, @now)",
            new { id, now, exp = now.AddHours(24) });

        await StepAsync();
        Assert.Equal("SCHEDULED", await StatusAsync(id));
        Assert.Equal(0, await f.ScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id", new { id }));

        await f.ExecuteAsync("UPDATE approval_requests SET status = 'REJECTED' WHERE target_id = @id", new { id });
        await StepAsync();
        Assert.Equal("SENDING", await StatusAsync(id)); // late: its send time has passed
        Assert.DoesNotContain(f.Alerts.Raised, a => a.Subject == $"campaign:{id}");
    }

    [Fact]
    public async Task An_expired_cancel_request_stops_the_campaign_for_a_person()
    {
        var id = await DueCampaignAsync();
        var now = DateTime.UtcNow;
        await f.ExecuteAsync(
            "INSERT INTO approval_requests (kind, target_id, status, created_at, expires_at, updated_at) VALUES ('CAMPAIGN_CANCEL', @id, 'PENDING', @created, @exp, @now)",
            new { id, now, created = now.AddHours(-25), exp = now.AddHours(-1) });

        await StepAsync();

        await AssertStoppedAsync(id, "CANCEL_EXPIRED", "취소 승인 요청 만료");
    }

    [Fact]
    public async Task A_campaign_that_passes_the_pre_flight_starts()
    {
        var id = await DueCampaignAsync();

        await StepAsync();

        Assert.Equal("SENDING", await StatusAsync(id));
        Assert.Equal(3, await f.ScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id", new { id }));
    }

    private Task<long> DueCampaignAsync() => f.ScheduleAsync(3, sendAtUtc: DateTime.UtcNow.AddSeconds(-1));

    private Task<int> StepAsync() => f.Get<CampaignLifecycle>().StepAsync(CancellationToken.None);

    private Task<string> StatusAsync(long id) => f.ScalarAsync<string>("SELECT status FROM campaigns WHERE id = @id", new { id });

    private async Task AssertStoppedAsync(long id, string code, string reasonPart)
    {
        Assert.Equal("ERROR", await StatusAsync(id));
        Assert.Equal(code, await f.ScalarAsync<string>("SELECT stop_code FROM campaign_runs WHERE campaign_id = @id", new { id }));
        Assert.Contains(reasonPart, await f.ScalarAsync<string>("SELECT stop_reason FROM campaign_runs WHERE campaign_id = @id", new { id }), StringComparison.Ordinal);
        Assert.Equal(0, await f.ScalarAsync<int>("SELECT COUNT(*) FROM delivery_items WHERE campaign_id = @id", new { id }));
        var alert = Assert.Single(f.Alerts.Raised, a => a.Subject == $"campaign:{id}");
        Assert.Equal("campaign.error", alert.Kind);
        Assert.Contains(reasonPart, alert.Message, StringComparison.Ordinal);
    }
}
