using System.Globalization;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Time;
using CouponDesk.Tests.Reconciliation;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Privacy;

/// <summary>
/// A finished campaign carrying every kind of personal data the retention rules name (spec §7.5): recipients' phones and
/// names, full coupon numbers (used now), messages' phones, a C/S memo, a number change, upload row errors, the
/// requester's contact and the agent's month-log row. <see cref="Stored"/> holds every stored byte string (ciphertexts,
/// blind indexes) and <see cref="Clear"/> every clear text, so a dump can be searched for them.
/// </summary>
public sealed class FinishedCampaignData
{
    public required long CampaignId { get; init; }

    public required IReadOnlyList<long> CouponIds { get; init; }

    public required IReadOnlyList<string> CouponNumbers { get; init; }

    /// <summary>Every 90-day value's stored bytes, by where it lives (for messages).</summary>
    public required IReadOnlyDictionary<string, byte[]> Stored { get; init; }

    /// <summary>Stored bytes of the requester's contact (2-year rule).</summary>
    public required IReadOnlyDictionary<string, byte[]> Requester { get; init; }

    /// <summary>Clear texts that must not survive the 90-day purge anywhere (coupon numbers, the agent row's phone and text).</summary>
    public required IReadOnlyList<string> Clear { get; init; }

    public static async Task<FinishedCampaignData> CreateAsync(IServiceProvider services, int firstPhone, string name, string memo, DateTime now)
    {
        var data = new ReconciliationData(services);
        var pii = services.GetRequiredService<PiiProtector>();
        var campaignId = await data.CampaignAsync(2, firstPhone);
        var numbers = new List<string>();
        var coupons = new List<long>();
        var items = new List<long>();
        var messages = new List<long>();
        await using var c = await data.Connections.OpenAsync();
        var orderId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO issuance_orders (campaign_id, tr_id, goods_id, create_cnt, unit_price, status, next_attempt_at, created_at, updated_at)
            VALUES (@campaignId, @trId, '0000000101', 2, 4500, 'SUCCEEDED', @now, @now, @now); SELECT LAST_INSERT_ID();
            """, new { campaignId, trId = "CDTX" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(), now });
        for (var seq = 1; seq <= 2; seq++)
        {
            var number = DailyReportTests.Number();
            var coupon = await data.CouponAsync(number, now.AddDays(-1), "USED", now);
            await c.ExecuteAsync("UPDATE coupons SET order_ref = @orderId WHERE id = @coupon", new { orderId, coupon });
            var item = await data.ItemAsync(campaignId, seq, "SENT", coupon, everDelivered: true, at: now);
            numbers.Add(number);
            coupons.Add(coupon);
            items.Add(item);
            messages.Add(await data.MessageAsync(campaignId, item, coupon, "COMPLETE", "SUCCESS", resultAt: now));
        }

        var listId = await c.ExecuteScalarAsync<long>("SELECT recipient_list_id FROM campaigns WHERE id = @campaignId", new { campaignId });
        await c.ExecuteAsync("UPDATE recipient_list_rows SET name_enc = @name WHERE list_id = @listId", new { listId, name = pii.Encrypt(name) });
        await c.ExecuteAsync("UPDATE recipient_lists SET created_at = @now, accepted_at = @now WHERE id = @listId", new { listId, now });
        await c.ExecuteAsync("INSERT INTO recipient_list_errors (list_id, seq, source_row, column_name, code, input_masked) VALUES (@listId, 1, 9, 'phone', 'INVALID_PHONE', '010-****-12')", new { listId });
        await c.ExecuteAsync("UPDATE campaigns SET status = 'COMPLETED', updated_at = @now, client_requester_enc = @r, requester_phone_enc = @p, requester_phone_bidx = @b, requester_email_enc = @e WHERE id = @campaignId", new
        {
            campaignId,
            now,
            r = pii.Encrypt(name + " 과장"),
            p = pii.Encrypt("0100000" + (firstPhone + 50).ToString("D4", CultureInfo.InvariantCulture)),
            b = pii.BlindIndex("phone", "0100000" + (firstPhone + 50).ToString("D4", CultureInfo.InvariantCulture)),
            e = pii.Encrypt("requester@example.com"),
        });
        await c.ExecuteAsync("INSERT INTO campaign_runs (campaign_id, item_count, started_at, finished_at, updated_at) VALUES (@campaignId, 2, @now, @now, @now)", new { campaignId, now });
        await c.ExecuteAsync(
            "INSERT INTO cs_actions (item_id, campaign_id, coupon_id, action, result, memo_enc, actor_login, created_at) VALUES (@item, @campaignId, @coupon, 'MEMO', 'SUCCESS', @memo, 'tester', @now)",
            new { item = items[0], campaignId, coupon = coupons[0], memo = pii.Encrypt(memo), now });
        var oldPhone = "0100000" + firstPhone.ToString("D4", CultureInfo.InvariantCulture);
        var newPhone = "0100000" + (firstPhone + 60).ToString("D4", CultureInfo.InvariantCulture);
        await c.ExecuteAsync(
            "INSERT INTO phone_changes (campaign_id, item_id, kind, old_phone_enc, old_phone_bidx, new_phone_enc, new_phone_bidx, created_at) VALUES (@campaignId, @item, 'BEFORE_SEND', @oe, @ob, @ne, @nb, @now)",
            new { campaignId, item = items[1], oe = pii.Encrypt(oldPhone), ob = pii.PhoneBlindIndex(oldPhone), ne = pii.Encrypt(newPhone), nb = pii.PhoneBlindIndex(newPhone), now });

        // Two-person approval requests (D-APR-6): a C/S 번호변경 on an item, executed, and a rejected 일괄취소 of the campaign.
        await c.ExecuteAsync(
            """
            INSERT INTO approval_requests (kind, target_id, campaign_id, item_id, params_enc, memo_enc, status, created_at, expires_at, updated_at) VALUES
              ('PHONE_CHANGE', @item, @campaignId, @item, @p1, @m1, 'EXECUTED', @now, @now, @now),
              ('CAMPAIGN_CANCEL', @campaignId, @campaignId, NULL, @p2, @m2, 'REJECTED', @now, @now, @now)
            """,
            new
            {
                item = items[0],
                campaignId,
                now,
                p1 = pii.Encrypt("{\"newPhone\":\"" + newPhone + "\"}"),
                m1 = pii.Encrypt(memo + " (승인 요청)"),
                p2 = pii.Encrypt("{\"reason\":\"고객사 요청\"}"),
                m2 = pii.Encrypt(name + " 과장 요청으로 취소"),
            });

        // The agent's month-log row of the first message, as the agent moves it: phone and text in clear.
        var kstNow = Kst.ToKst(now);
        var table = UmsTableDdl.LogTableName(UmsTableDdl.DefaultLogTablePrefix, kstNow.Year, kstNow.Month);
        await c.ExecuteAsync(UmsTableDdl.CreateLogTable(table));
        var clientKey = await c.ExecuteScalarAsync<string>("SELECT client_key FROM messages WHERE id = @id", new { id = messages[0] });
        var agentText = "쿠폰 안내 " + name + " 님";
        await c.ExecuteAsync(
            $"INSERT INTO {UmsTableDdl.Quote(table)} (CLIENT_KEY, REQ_CH, TRAFFIC_TYPE, MSG_STATUS, REQ_DATE, CALLBACK_NUMBER, PHONE, MSG) VALUES (@clientKey, 'MMS', 'normal', 'complete', @kstNow, '16000000', @oldPhone, @agentText)",
            new { clientKey, kstNow, oldPhone, agentText });

        var stored = new Dictionary<string, byte[]>();
        foreach (var (label, sql) in new[]
        {
            ("recipient.phone", "SELECT phone_enc FROM recipient_list_rows WHERE list_id = @listId"),
            ("recipient.phone_bidx", "SELECT phone_bidx FROM recipient_list_rows WHERE list_id = @listId"),
            ("recipient.name", "SELECT name_enc FROM recipient_list_rows WHERE list_id = @listId"),
            ("coupon.number", "SELECT coupon_number_enc FROM coupons WHERE id IN @coupons"),
            ("coupon.index", "SELECT coupon_number_index FROM coupons WHERE id IN @coupons"),
            ("message.phone", "SELECT phone_enc FROM messages WHERE id IN @messages"),
            ("cs.memo", "SELECT memo_enc FROM cs_actions WHERE campaign_id = @campaignId"),
            ("change.old", "SELECT old_phone_enc FROM phone_changes WHERE campaign_id = @campaignId"),
            ("change.old_bidx", "SELECT old_phone_bidx FROM phone_changes WHERE campaign_id = @campaignId"),
            ("change.new", "SELECT new_phone_enc FROM phone_changes WHERE campaign_id = @campaignId"),
            ("change.new_bidx", "SELECT new_phone_bidx FROM phone_changes WHERE campaign_id = @campaignId"),
            ("approval.params", "SELECT params_enc FROM approval_requests WHERE campaign_id = @campaignId"),
            ("approval.memo", "SELECT memo_enc FROM approval_requests WHERE campaign_id = @campaignId"),
        })
        {
            var i = 0;
            foreach (var value in await c.QueryAsync<byte[]>(sql, new { listId, coupons, messages, campaignId }))
            {
                stored[$"{label}#{i++}"] = value;
            }
        }

        var requester = new Dictionary<string, byte[]>();
        foreach (var column in new[] { "client_requester_enc", "requester_phone_enc", "requester_phone_bidx", "requester_email_enc" })
        {
            requester[column] = await c.ExecuteScalarAsync<byte[]>($"SELECT {column} FROM campaigns WHERE id = @campaignId", new { campaignId }) ?? throw new InvalidOperationException(column);
        }

        return new FinishedCampaignData
        {
            CampaignId = campaignId,
            CouponIds = coupons,
            CouponNumbers = numbers,
            Stored = stored,
            Requester = requester,
            Clear = [.. numbers, oldPhone, agentText],
        };
    }
}
