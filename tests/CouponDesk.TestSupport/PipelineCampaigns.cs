using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Security.Pii;
using Dapper;

namespace CouponDesk.TestSupport;

/// <summary>
/// Inserts a campaign as registration leaves it for the pipeline: SCHEDULED, product snapshot (GOODS_ID 0000000101 of the
/// COUFUN stand-in), sender number 16000000 and an accepted list of phones 010-0000-0001… (test range only).
/// </summary>
public static class PipelineCampaigns
{
    public const string Callback = "16000000";
    public const string GoodsId = "0000000101";

    /// <summary>
    /// Returns the campaign id. <paramref name="sendAtUtc"/> null = due now (already passed by a second);
    /// <paramref name="startAtUtc"/> null = start now; <paramref name="costEstimate"/> null = N × 정가.
    /// </summary>
    public static async Task<long> ScheduleAsync(
        DbConnectionFactory connections, PiiProtector pii, int recipients, int firstPhone = 1, DateTime? sendAtUtc = null, DateTime? startAtUtc = null, long? costEstimate = null)
    {
        var now = DateTime.UtcNow;
        var sendAt = sendAtUtc ?? now.AddSeconds(-1);
        await using var c = await connections.OpenAsync();
        // The starter's pre-flight (C5) wants the product on sale in the synced catalog.
        await c.ExecuteAsync(
            """
            INSERT IGNORE INTO products (goods_id, name, exc_branch, price, ori_price, valid_end_type, valid_end_value, status, first_seen_at, changed_at, synced_at)
            VALUES (@goods, '아메리카노 T', '커피전문점', 4230, 4500, 'D', '60', 'ON_SALE', @now, @now, @now)
            """, new { goods = GoodsId, now });
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, product_name, exchange_place, supply_price, list_price,
              coupon_type, sender_number, mms_title, mms_body, recipient_count, cost_estimate, created_at, updated_at)
            VALUES ('DRAFT', '테스트상사', '파이프라인 테스트', 'AT', @sendAt, @startAt, @goods, '아메리카노 T', '커피전문점', 4230, 4500,
              'BARCODE', @cb, '[테스트] 쿠폰 도착', '테스트상사에서 보낸 모바일 쿠폰입니다.', @recipients, @estimate, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { sendAt, startAt = startAtUtc ?? now, now, goods = GoodsId, cb = Callback, recipients, estimate = costEstimate ?? recipients * 4500L });
        var listId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO recipient_lists (campaign_id, status, source, total_rows, valid_count, error_count, duplicate_count, created_at, accepted_at)
            VALUES (@id, 'ACCEPTED', 'QUICK', @recipients, @recipients, 0, 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { id, recipients, now });
        for (var start = 0; start < recipients; start += 500)
        {
            var p = new DynamicParameters();
            var values = new List<string>();
            for (var i = start; i < Math.Min(recipients, start + 500); i++)
            {
                var phone = "0100" + (firstPhone + i).ToString("D7", CultureInfo.InvariantCulture);
                values.Add(string.Create(CultureInfo.InvariantCulture, $"(@list, {i + 1}, {i + 2}, @p{i}, @b{i}, NULL)"));
                p.Add($"p{i}", pii.Encrypt(phone, CouponDesk.Features.Recipients.RecipientsModule.PhoneColumn.PlaceOf(listId, i + 1)));
                p.Add($"b{i}", pii.BlindIndex("phone", phone));
            }

            p.Add("list", listId);
            await c.ExecuteAsync("INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx, name_enc) VALUES " + string.Join(',', values), p);
        }

        // Scheduled only once the list is attached, as submit does: a worker may start it the moment it is SCHEDULED.
        await c.ExecuteAsync("UPDATE campaigns SET recipient_list_id = @listId, status = 'SCHEDULED' WHERE id = @id", new { listId, id });
        return id;
    }
}
