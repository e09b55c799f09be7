using System.Globalization;
using System.Net.Http.Json;
using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Reconciliation;

/// <summary>
/// Rows as the pipeline leaves them, inserted directly: campaigns (through <see cref="PipelineCampaigns"/>), in-doubt
/// orders, delivery items with coupons and messages. Phones only from the test range; coupon numbers start with 9.
/// </summary>
public sealed class ReconciliationData(IServiceProvider services)
{
    private static long nextMessageId = 9_000_000 + Random.Shared.Next(0, 1_000_000);

    public DbConnectionFactory Connections => services.GetRequiredService<DbConnectionFactory>();

    public Task<long> CampaignAsync(int recipients, int firstPhone = 1) =>
        PipelineCampaigns.ScheduleAsync(Connections, services.GetRequiredService<PiiProtector>(), recipients, firstPhone);

    /// <summary>An IN_DOUBT order of <paramref name="count"/> coupons at 4,500 won; returns its id and TR_ID.</summary>
    public async Task<(long Id, string TrId)> InDoubtOrderAsync(long campaignId, int count = 2, DateTime? createdAt = null)
    {
        var trId = "CDTX" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var at = createdAt ?? DateTime.UtcNow;
        await using var c = await Connections.OpenAsync();
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO issuance_orders (campaign_id, tr_id, goods_id, create_cnt, unit_price, status, calls, answer_lost, next_attempt_at, result_code, failure, created_at, requested_at, updated_at)
            VALUES (@campaignId, @trId, @goods, @count, 4500, 'IN_DOUBT', 2, 1, @at, '12', 'no answer (TimeoutRejectedException)', @at, @at, @at);
            SELECT LAST_INSERT_ID();
            """, new { campaignId, trId, goods = PipelineCampaigns.GoodsId, count, at });
        return (id, trId);
    }

    /// <summary>Stores a coupon as bought for a campaign order; returns the coupon id.</summary>
    public async Task<long> CouponAsync(string number, DateTime issuedAt, string status = CouponStatus.Unused, DateTime? updatedAt = null, DateOnly? validUntil = null)
    {
        await using var c = await Connections.OpenAsync();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await services.GetRequiredService<CouponRepository>().InsertIssuedAsync(c, tx,
                [new IssuedCoupon(number, PipelineCampaigns.GoodsId, CouponType.Barcode, 4500, 4230, validUntil ?? DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), null, null, null, 1, issuedAt)]);
            await tx.CommitAsync();
        }

        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM coupons WHERE coupon_number_index = @x", new { x = services.GetRequiredService<CouponRepository>().IndexOf(number) });
        await c.ExecuteAsync("UPDATE coupons SET status = @status, updated_at = @updated, issued_at = @issuedAt WHERE id = @id", new { id, status, updated = updatedAt ?? issuedAt, issuedAt });
        return id;
    }

    /// <summary>The delivery item of recipient <paramref name="seq"/> of the campaign's list; returns its id.</summary>
    public async Task<long> ItemAsync(long campaignId, int seq, string status, long? couponId, bool everDelivered = false, DateTime? at = null)
    {
        await using var c = await Connections.OpenAsync();
        var listId = await c.ExecuteScalarAsync<long>("SELECT recipient_list_id FROM campaigns WHERE id = @campaignId", new { campaignId });
        var now = at ?? DateTime.UtcNow;
        return await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO delivery_items (campaign_id, list_id, seq, status, coupon_id, ever_delivered, created_at, updated_at)
            VALUES (@campaignId, @listId, @seq, @status, @couponId, @everDelivered, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { campaignId, listId, seq, status, couponId, everDelivered, now });
    }

    /// <summary>A message of the item (made current), to the item's phone; returns its id.</summary>
    public async Task<long> MessageAsync(long campaignId, long itemId, long? couponId, string status, string? outcome, DateTime? resultAt = null)
    {
        var id = Interlocked.Increment(ref nextMessageId);
        var pii = services.GetRequiredService<PiiProtector>();
        var now = resultAt ?? DateTime.UtcNow;
        await using var c = await Connections.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO messages (id, client_key, campaign_id, recipient_id, coupon_id, attempt_no, message_type, phone_enc, callback_number, req_at, reserved, status, outcome, result_at, created_at, updated_at)
            VALUES (@id, @key, @campaignId, @itemId, @couponId, 1, 'INITIAL', @phone, @cb, @now, 0, @status, @outcome, @now, @now, @now);
            UPDATE delivery_items SET message_id = @id WHERE id = @itemId;
            """, new { id, key = "T" + id.ToString(CultureInfo.InvariantCulture), campaignId, itemId, couponId, phone = pii.Encrypt("01000009999"), cb = PipelineCampaigns.Callback, now, status, outcome });
        return id;
    }

    /// <summary>Buys coupons at the COUFUN stand-in under <paramref name="trId"/> — what the supplier later reads out to us — and returns their numbers.</summary>
    public static async Task<IReadOnlyList<string>> BuyAtStandInAsync(CoufunStandInHost coufun, string trId, int count)
    {
        using var response = await coufun.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID={PipelineCampaigns.GoodsId}&CREATE_CNT={count}&TR_ID={trId}");
        response.EnsureSuccessStatusCode();
        return await StandInNumbersAsync(coufun, trId);
    }

    /// <summary>The numbers the stand-in created under <paramref name="trId"/> (the supplier's answer to "what did that TR_ID buy?").</summary>
    public static async Task<IReadOnlyList<string>> StandInNumbersAsync(CoufunStandInHost coufun, string trId)
    {
        var orders = await coufun.Client.GetFromJsonAsync<List<StandInOrder>>($"_control/orders?trId={trId}");
        return [.. orders!.SelectMany(o => o.Coupons).Select(k => k.BarcodeNum)];
    }

    public static async Task<string> StandInStatusAsync(CoufunStandInHost coufun, string number)
    {
        var found = await (await coufun.Client.PostAsJsonAsync("_control/coupons/find", new { barcodeNum = number })).Content.ReadFromJsonAsync<StandInCoupon>();
        return found!.Status;
    }

    public sealed record StandInOrder(string? TrId, List<StandInCoupon> Coupons);

    public sealed record StandInCoupon(string BarcodeNum, string Status);
}
