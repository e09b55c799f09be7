extern alias snapstandin;

using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Pipeline;
using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.Security.Pii;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SnapStandInApp = snapstandin::CouponDesk.SnapStandIn.SnapStandInApp;

namespace CouponDesk.Tests.Pipeline;

/// <summary>
/// The whole pipeline on real sockets: the COUFUN stand-in, the back office (web + worker) and the SNAP stand-in polling
/// the back office's own UMS_MSG. Campaigns are inserted as the registration feature leaves them (SCHEDULED with a
/// product snapshot and an accepted recipient list). The witnesses are the stand-ins' own records.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string Callback = "16000000";
    public const string GoodsId = "0000000101";

    private PipelineHarness(CoufunStandInHost coufun, TestDatabase database, LoopbackHost backOffice, LoopbackHost snap, string scratch)
    {
        Coufun = coufun;
        Database = database;
        BackOffice = backOffice;
        Snap = snap;
        Scratch = scratch;
    }

    public CoufunStandInHost Coufun { get; }

    public TestDatabase Database { get; }

    public LoopbackHost BackOffice { get; }

    public LoopbackHost Snap { get; }

    public string Scratch { get; }

    public static IEnumerable<KeyValuePair<string, string?>> PipelineSettings(string coufunBaseUrl) =>
    [
        new("Coufun:BaseUrl", coufunBaseUrl),
        new("Coufun:RequestTimeoutSeconds", "2"),
        new("Pipeline:PollIntervalMs", "50"),
        new("Pipeline:ResultSyncIntervalSeconds", "1"),
        new("Pipeline:IssueBackoffMs:0", "100"),
        new("Pipeline:IssueBackoffMs:1", "200"),
        new("Pipeline:LeaseSeconds", "6"),
        new("Pipeline:IssueConcurrency", "4"),
        new("Pipeline:TrIdPrefix", "CDT" + Guid.NewGuid().ToString("N")[..6]),
    ];

    public static async Task<PipelineHarness> StartAsync(string roles = "web,worker", params KeyValuePair<string, string?>[] extra)
    {
        var coufun = await CoufunStandInHost.StartAsync();
        var database = new TestDatabase();
        await database.MigrateAsync();
        var scratch = TestSettings.NewScratchDirectory();
        var backOffice = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(database, scratch),
            new("CouponDesk:Roles", roles),
            .. PipelineSettings(coufun.BaseUrl),
            .. extra,
        ]);
        await using (var c = await database.OpenAsync())
        {
            await backOffice.Services.GetRequiredService<SenderNumberRegistry>().EnsureRegisteredAsync(c, Callback, "테스트", CancellationToken.None);
        }

        var snap = await LoopbackHost.StartAsync(SnapStandInApp.Build,
        [
            new("environment", "Testing"),
            new("Agent:ConnectionString", database.ConnectionString),
            new("Agent:Home", Path.Combine(scratch, "agent")),
            new("Agent:PollIntervalMs", "100"),
            new("Agent:Tps", "5000"),
            new("Agent:DeliveryDelayMinMs", "0"),
            new("Agent:DeliveryDelayMaxMs", "100"),
            new("Agent:RegisteredCallbackNumbers:0", Callback),
            new("Serilog:MinimumLevel:Default", "Warning"),
        ]);
        return new PipelineHarness(coufun, database, backOffice, snap, scratch);
    }

    /// <summary>Inserts a SCHEDULED campaign due now, with <paramref name="recipients"/> phones 010-0000-0001…; returns its id.</summary>
    public Task<long> ScheduleCampaignAsync(int recipients, int firstPhone = 1, DateTime? sendAtUtc = null) =>
        ScheduleCampaignAsync(Database.Connections, BackOffice.Services.GetRequiredService<PiiProtector>(), recipients, firstPhone, sendAtUtc);

    public static async Task<long> ScheduleCampaignAsync(DbConnectionFactory connections, PiiProtector pii, int recipients, int firstPhone = 1, DateTime? sendAtUtc = null)
    {
        var now = DateTime.UtcNow;
        var sendAt = sendAtUtc ?? now.AddSeconds(-1);
        await using var c = await connections.OpenAsync();
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO campaigns (status, client_name, event_name, send_mode, scheduled_at, start_at, goods_id, product_name, exchange_place, supply_price, list_price,
              coupon_type, sender_number, mms_title, mms_body, recipient_count, cost_estimate, created_at, updated_at)
            VALUES ('SCHEDULED', '테스트상사', '파이프라인 테스트', 'AT', @sendAt, @now, @goods, '아메리카노 T', '커피전문점', 4230, 4500,
              'BARCODE', @cb, '[테스트] 쿠폰 도착', '테스트상사에서 보낸 모바일 쿠폰입니다.', @recipients, @estimate, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { sendAt, now, goods = GoodsId, cb = Callback, recipients, estimate = recipients * 4500L });
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
                p.Add($"p{i}", pii.Encrypt(phone));
                p.Add($"b{i}", pii.BlindIndex("phone", phone));
            }

            p.Add("list", listId);
            await c.ExecuteAsync("INSERT INTO recipient_list_rows (list_id, seq, source_row, phone_enc, phone_bidx, name_enc) VALUES " + string.Join(',', values), p);
        }

        await c.ExecuteAsync("UPDATE campaigns SET recipient_list_id = @listId WHERE id = @id", new { listId, id });
        return id;
    }

    public async Task<string> StatusAsync(long campaignId)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT status FROM campaigns WHERE id = @campaignId", new { campaignId }) ?? "";
    }

    /// <summary>Waits until the campaign reaches one of <paramref name="states"/> (fails after <paramref name="seconds"/>).</summary>
    public async Task<string> WaitForAsync(long campaignId, int seconds, params string[] states)
    {
        var status = "";
        for (var i = 0; i < seconds * 10; i++)
        {
            status = await StatusAsync(campaignId);
            if (states.Contains(status))
            {
                return status;
            }

            await Task.Delay(100);
        }

        var progress = await BackOffice.Services.GetRequiredService<PipelineProgress>().GetAsync(campaignId, CancellationToken.None);
        throw new TimeoutException($"campaign {campaignId} still {status}: {string.Join(", ", progress!.Items.Select(kv => $"{kv.Key}={kv.Value}"))} stop={progress.StopCode}");
    }

    public async ValueTask DisposeAsync()
    {
        await Snap.DisposeAsync();
        await BackOffice.DisposeAsync();
        await Coufun.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(Scratch))
        {
            Directory.Delete(Scratch, recursive: true);
        }
    }
}
