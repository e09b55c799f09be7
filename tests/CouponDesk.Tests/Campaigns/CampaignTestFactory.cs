using System.Collections.Concurrent;
using CouponDesk.Features.Audit;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Campaigns;

/// <summary>
/// The back office with a settable clock (send-time rules depend on "now") and a recording audit sink (the audit
/// service of issue 3 is not on this branch yet), plus helpers to seed the catalog and sender numbers.
/// </summary>
public class CampaignTestFactory : CouponDeskFactory, IAsyncLifetime
{
    /// <summary>10:00 KST on a Wednesday: daytime, so night rules are only hit on purpose.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    public const string GoodsId = "0000000101";
    public const string DiscontinuedGoodsId = "0000000909";
    public const string ExpiringGoodsId = "0000000202";
    public const string SenderNumber = "0212345678";

    public SettableClock Clock { get; } = new(DefaultNow);

    public RecordingAudit Audit { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ICampaignAudit>(Audit);
        });
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var connection = await Database.OpenAsync();
        var now = DefaultNow.UtcDateTime;
        await connection.ExecuteAsync(
            """
            INSERT INTO products (goods_id, name, exc_branch, price, ori_price, valid_end_type, valid_end_value, image_b_url, status, first_seen_at, changed_at, synced_at) VALUES
              ('0000000101', '테스트커피 아메리카노 Tall', '테스트커피', 4230, 4500, 'D', '60', 'https://img.invalid/101_b.jpg', 'ON_SALE', @now, @now, @now),
              ('0000000202', '테스트마트 모바일 금액권 3만원', '테스트마트', 28800, 30000, 'E', '20261130', NULL, 'ON_SALE', @now, @now, @now),
              ('0000000909', '판매중지 상품', '테스트', 1000, 1100, 'D', '30', NULL, 'DISCONTINUED', @now, @now, @now)
            """,
            new { now });
        await connection.ExecuteAsync(
            "INSERT INTO sender_numbers (number, label, active, is_default, created_at, updated_at) VALUES (@n, '대표번호', 1, 1, @now, @now)",
            new { n = SenderNumber, now });
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }
}

public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow() => now;

    public void Set(DateTimeOffset value) => now = value;

    public void Advance(TimeSpan by) => now += by;
}

public sealed class RecordingAudit : ICampaignAudit
{
    public ConcurrentQueue<CampaignAuditEvent> Events { get; } = new();

    public Task RecordAsync(CampaignAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        Events.Enqueue(auditEvent);
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> NamesFor(long campaignId) => Events.Where(e => e.CampaignId == campaignId).Select(e => e.Name).ToList();
}
