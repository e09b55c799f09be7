using System.Globalization;
using System.Text;
using CouponDesk.Data;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.CustomerService;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Pii;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Bench.Scale;

/// <summary>
/// A year of CouponDesk's data (spec §8: 120 campaigns × 20,000 = 2.4 million delivery items a year) written straight
/// into a migrated database through the real schema: finished campaigns spread over the 365 days before now, each with
/// its recipient list, issuance orders of ten, delivery items, coupons (40 % used, 3 % cancelled after a failed send, the rest unused or expired
/// by their validity), one message per item with its result, a status-history row per coupon that changed, a run row,
/// and audit entries through the real <see cref="AuditTrail"/> (a valid hash chain). Rows without personal data are
/// generated in SQL from MariaDB's sequence engine; the rows that hold personal data (recipient rows, coupons, messages)
/// are written in multi-row INSERTs with every value really encrypted and indexed by the application's
/// <see cref="PiiProtector"/>, because pages decrypt what they show. Item n has the phone 010-0000-0001 + n (the test
/// block 010-0000… to 010-0999…: 2.4 million items reach 010-0240-0000) and the coupon number 9 + n in 11 digits.
/// </summary>
public sealed class YearOfData(DbConnectionFactory connections, PiiProtector pii, AuditTrail audit)
{
    /// <summary>An item with real values: what a load driver searches for.</summary>
    public sealed record Sample(long ItemId, long CampaignId, string Phone, string Coupon);

    public sealed record Shape(int Campaigns, int PerCampaign, int SampleCount, DateTime NowUtc);

    /// <summary>Fills the (empty, migrated) database; returns the sampled items. <paramref name="progress"/> gets a line per ten campaigns.</summary>
    public async Task<IReadOnlyList<Sample>> GenerateAsync(Shape shape, Action<string> progress, CancellationToken cancellationToken = default)
    {
        await using var c = await connections.OpenAsync(cancellationToken);
        var per = shape.PerCampaign;
        for (var campaign = 1; campaign <= shape.Campaigns; campaign++)
        {
            var sendAt = SendTime(shape, campaign);
            var validUntil = DateOnly.FromDateTime(sendAt.AddHours(9)).AddDays(60);
            var args = new
            {
                campaign,
                offset = (long)(campaign - 1) * per,
                orders = (long)(campaign - 1) * ((per + OrderSize - 1) / OrderSize),
                per,
                sendAt,
                queuedAt = sendAt.AddMinutes(-10),
                doneAt = sendAt.AddMinutes(2),
                usedAt = sendAt.AddDays(3),
                validUntil = validUntil.ToDateTime(TimeOnly.MinValue),
                expired = validUntil < DateOnly.FromDateTime(shape.NowUtc.AddHours(9)),
            };
            foreach (var statement in CampaignStatements(per))
            {
                await c.ExecuteAsync(new CommandDefinition(statement, args, commandTimeout: 600, cancellationToken: cancellationToken));
            }

            await WritePersonalRowsAsync(c, campaign, per, args.offset, args.orders, args.sendAt, args.validUntil, args.expired, cancellationToken);

            await WriteAuditAsync(campaign, per, sendAt, cancellationToken);
            if (campaign % 10 == 0 || campaign == shape.Campaigns)
            {
                progress($"{campaign:N0} of {shape.Campaigns:N0} campaigns ({(long)campaign * per:N0} items)");
            }
        }

        // The message ids of the pipeline come from id_blocks: start them after the generated ones.
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE id_blocks SET next_value = GREATEST(next_value, (SELECT COALESCE(MAX(id), 0) + 1 FROM messages)) WHERE name = 'messages'",
            cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(
            "ANALYZE TABLE campaigns, campaign_runs, issuance_orders, issuance_order_items, recipient_lists, recipient_list_rows, delivery_items, coupons, messages, coupon_status_history, audit_log",
            commandTimeout: 1800, cancellationToken: cancellationToken));
        return Samples(shape);
    }

    /// <summary>Campaign k of n is sent (n − k) × 365 / n days before now, at 10:00 KST; the last one today, two hours ago.</summary>
    private static DateTime SendTime(Shape shape, int campaign)
    {
        if (campaign == shape.Campaigns)
        {
            return shape.NowUtc.AddHours(-2);
        }

        var day = DateOnly.FromDateTime(shape.NowUtc.AddHours(9)).AddDays(-(int)Math.Round((shape.Campaigns - campaign) * 365.0 / shape.Campaigns));
        return day.ToDateTime(new TimeOnly(1, 0), DateTimeKind.Utc); // 10:00 KST
    }

    /// <summary>
    /// One campaign's rows. Item <c>seq</c> decides its fate: seq mod 100 &lt; 40 used; ≥ 97 the send failed (the coupon
    /// was cancelled); otherwise unused, or expired once its validity ended.
    /// </summary>
    private static IEnumerable<string> CampaignStatements(int per)
    {
        const string CouponStatus = "CASE WHEN seq MOD 100 < 40 THEN 'USED' WHEN seq MOD 100 >= 97 THEN 'CANCELLED' WHEN @expired THEN 'EXPIRED' ELSE 'UNUSED' END";
        yield return
            """
            INSERT INTO campaigns (id, campaign_no, status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, product_name, exchange_place,
              supply_price, list_price, coupon_type, sender_number, mms_title, mms_body, recipient_list_id, recipient_count, created_at, updated_at, submitted_at)
            VALUES (@campaign, CONCAT('Y', LPAD(@campaign, 9, '0')), 'COMPLETED', CONCAT('고객사', @campaign MOD 37), CONCAT('연간 이벤트 ', @campaign), 'AT', @sendAt,
              DATE_SUB(@sendAt, INTERVAL 30 MINUTE), '0000000101', '아메리카노 T', '커피전문점', 4230, 4500, 'BARCODE', '16000000', '[쿠폰] 선물이 도착했습니다',
              '벤치 메시지', @campaign, @per, DATE_SUB(@sendAt, INTERVAL 3 DAY), @doneAt, DATE_SUB(@sendAt, INTERVAL 2 DAY))
            """;
        yield return
            """
            INSERT INTO campaign_runs (campaign_id, item_count, started_at, all_issued_at, all_queued_at, finished_at, updated_at)
            VALUES (@campaign, @per, DATE_SUB(@sendAt, INTERVAL 30 MINUTE), DATE_SUB(@sendAt, INTERVAL 20 MINUTE), @queuedAt, @doneAt, @doneAt)
            """;
        yield return
            """
            INSERT INTO recipient_lists (id, campaign_id, status, source, total_rows, valid_count, error_count, duplicate_count, created_at, accepted_at)
            VALUES (@campaign, @campaign, 'ACCEPTED', 'UPLOAD', @per, @per, 0, 0, DATE_SUB(@sendAt, INTERVAL 3 DAY), DATE_SUB(@sendAt, INTERVAL 3 DAY))
            """;
        yield return
            $"""
            INSERT INTO issuance_orders (id, campaign_id, tr_id, goods_id, create_cnt, unit_price, status, calls, next_attempt_at, result_code, coufun_order_id,
              created_at, requested_at, finished_at, updated_at)
            SELECT @orders + seq, @campaign, CONCAT('CDY', LPAD(@orders + seq, 12, '0')), '0000000101', LEAST(10, @per - (seq - 1) * 10), 4500, 'SUCCEEDED', 1,
              DATE_SUB(@sendAt, INTERVAL 30 MINUTE), '0000', CONCAT('Y', LPAD(@orders + seq, 11, '0')), DATE_SUB(@sendAt, INTERVAL 30 MINUTE),
              DATE_SUB(@sendAt, INTERVAL 29 MINUTE), DATE_SUB(@sendAt, INTERVAL 29 MINUTE), DATE_SUB(@sendAt, INTERVAL 29 MINUTE)
            FROM seq_1_to_{(per + OrderSize - 1) / OrderSize}
            """;
        yield return $"INSERT INTO issuance_order_items (order_id, item_id) SELECT @orders + (seq - 1) DIV {OrderSize} + 1, @offset + seq FROM seq_1_to_{per}";
        yield return
            $"""
            INSERT INTO delivery_items (id, campaign_id, list_id, seq, status, issue_attempts, render_attempts, order_id, coupon_id, message_id, ever_delivered,
              failure_code, failure_reason, created_at, updated_at)
            SELECT @offset + seq, @campaign, @campaign, seq, IF(seq MOD 100 >= 97, 'SEND_FAILED', 'SENT'), 1, 1, @orders + (seq - 1) DIV {OrderSize} + 1,
              @offset + seq, @offset + seq, seq MOD 100 < 97,
              IF(seq MOD 100 >= 97, '22007', NULL), IF(seq MOD 100 >= 97, '수신번호 오류', NULL), DATE_SUB(@sendAt, INTERVAL 3 DAY), @doneAt
            FROM seq_1_to_{per}
            """;
        yield return
            $"""
            INSERT INTO coupon_status_history (coupon_id, source, old_status, new_status, old_balance, new_balance, supplier_status, flagged, occurred_at)
            SELECT @offset + seq, IF(seq MOD 100 < 40, 'PUSH', 'SYSTEM'), 'UNUSED', {CouponStatus}, 4500, IF(seq MOD 100 < 40, 0, 4500),
              IF(seq MOD 100 < 40, '001', NULL), 0, IF(seq MOD 100 < 40, @usedAt, @doneAt)
            FROM seq_1_to_{per} WHERE seq MOD 100 < 40 OR seq MOD 100 >= 97 OR @expired
            """;
    }

    /// <summary>What a campaign leaves in the audit trail besides its items: registration, upload, submission and C/S lookups.</summary>
    private async Task WriteAuditAsync(int campaign, int per, DateTime sendAt, CancellationToken cancellationToken)
    {
        var target = campaign.ToString(CultureInfo.InvariantCulture);
        string[] actions = [CampaignAuditEvents.Created, CampaignAuditEvents.RecipientsStaged, CampaignAuditEvents.RecipientsAccepted, CampaignAuditEvents.Updated, CampaignAuditEvents.Submitted,
            PersonalDataAccess.Searched, PersonalDataAccess.Searched, PersonalDataAccess.Searched, PersonalDataAccess.Searched, PersonalDataAccess.Searched];
        foreach (var action in actions)
        {
            await audit.WriteAsync(new AuditEntry
            {
                Action = action,
                ActorLogin = "bench-operator",
                SourceIp = "127.0.0.1",
                TargetType = "campaign",
                TargetId = target,
                Subject = $"campaign:{target} ({per})",
                Details = new Dictionary<string, string?> { ["sendAt"] = sendAt.ToString("O", CultureInfo.InvariantCulture) },
            }, cancellationToken);
        }
    }

    /// <summary>The sampled items of a shape: one in every (total ÷ sample count), spread over every campaign; computed, so a reused database gives the same list.</summary>
    public static IReadOnlyList<Sample> Samples(Shape shape)
    {
        var total = (long)shape.Campaigns * shape.PerCampaign;
        var step = Math.Max(1, total / shape.SampleCount);
        var samples = new List<Sample>();
        for (var id = 1L; id <= total; id += step)
        {
            var (phone, coupon) = Values(id);
            samples.Add(new Sample(id, ((id - 1) / shape.PerCampaign) + 1, phone, coupon));
        }

        return samples;
    }

    /// <summary>
    /// The campaign's recipient rows, coupons and messages, in INSERTs of <see cref="BatchRows"/> rows with the values
    /// encrypted — bound to their rows, whose ids are set here (D-SEC-12) — and indexed here (hex literals: no parameter
    /// limit, one round trip per batch). Fates as in
    /// <see cref="CampaignStatements"/>.
    /// </summary>
    private async Task WritePersonalRowsAsync(MySqlConnection c, int campaign, int per, long offset, long orders, DateTime sendAt, DateTime validUntil, bool expired, CancellationToken cancellationToken)
    {
        var queuedAt = Sql(sendAt.AddMinutes(-10));
        var doneAt = Sql(sendAt.AddMinutes(2));
        var usedAt = Sql(sendAt.AddDays(3));
        var valid = validUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (var first = 1; first <= per; first += BatchRows)
        {
            var last = Math.Min(per, first + BatchRows - 1);
            var rows = new StringBuilder("INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx) VALUES ");
            var coupons = new StringBuilder(
                "INSERT INTO coupons (id, coupon_number_enc, coupon_number_index, coupon_number_last4, key_version, goods_id, coupon_type, status, face_value, price, " +
                "used_amount, balance, valid_until, tr_id, order_id, order_ref, issued_at, created_at, updated_at, last_exchange_at) VALUES ");
            var messages = new StringBuilder(
                "INSERT INTO messages (id, client_key, campaign_id, recipient_id, coupon_id, attempt_no, message_type, phone_enc, callback_number, req_at, reserved, " +
                "status, outcome, sent_at, done_at, done_code, done_code_desc, result_at, created_at, updated_at) VALUES ");
            for (var seq = first; seq <= last; seq++)
            {
                var id = offset + seq;
                var (phone, coupon) = Values(id);
                var order = orders + ((seq - 1) / OrderSize) + 1;
                var fate = seq % 100;
                var used = fate < 40;
                var failed = fate >= 97;
                var status = used ? "USED" : failed ? "CANCELLED" : expired ? "EXPIRED" : "UNUSED";
                var separator = seq == first ? "" : ",";
                rows.Append(CultureInfo.InvariantCulture, $"{separator}({campaign},{seq},{seq + 1},{Hex(pii.Encrypt(phone, RecipientsModule.PhoneColumn.PlaceOf(campaign, seq)))},{Hex(pii.PhoneBlindIndex(phone))})");
                coupons.Append(CultureInfo.InvariantCulture,
                    $"{separator}({id},{Hex(pii.Encrypt(coupon, CouponsSetup.NumberColumn.PlaceOf(id)))},{Hex(pii.CouponBlindIndex(coupon))},'{coupon[^4..]}',{pii.ActiveKeyVersion},'0000000101','BARCODE','{status}',4500,4230," +
                    $"{(used ? 4500 : 0)},{(used ? 0 : 4500)},'{valid}','CDY{order:D12}','Y{order:D11}',{order},{queuedAt},{queuedAt},{usedAt},{(used ? usedAt : "NULL")})");
                messages.Append(CultureInfo.InvariantCulture,
                    $"{separator}({id},'CDY{id:D12}',{campaign},{id},{id},1,'INITIAL',{Hex(pii.Encrypt(phone, MessagesSetup.PhoneColumn.PlaceOf(id)))},'16000000',{Sql(sendAt)},1," +
                    $"'{(failed ? "FAILURE" : "SUCCESS")}','{(failed ? "FAILURE" : "SUCCESS")}',{Sql(sendAt)},{doneAt},'{(failed ? "22007" : "10000")}'," +
                    $"'{(failed ? "수신번호 오류" : "성공")}',{doneAt},{queuedAt},{doneAt})");
            }

            await c.ExecuteAsync(new CommandDefinition(rows.Append(';').Append(coupons).Append(';').Append(messages).ToString(), commandTimeout: 600, cancellationToken: cancellationToken));
        }
    }

    private const int BatchRows = 2000;

    /// <summary>Coupons per COUFUN create call (the pipeline's order size).</summary>
    private const int OrderSize = 10;

    /// <summary>Item n's phone (test block) and coupon number.</summary>
    private static (string Phone, string Coupon) Values(long id) =>
        ("0100" + id.ToString("D7", CultureInfo.InvariantCulture), "9" + id.ToString("D11", CultureInfo.InvariantCulture));

    private static string Hex(byte[] value) => "X'" + Convert.ToHexString(value) + "'";

    private static string Sql(DateTime utc) => "'" + utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'";
}
