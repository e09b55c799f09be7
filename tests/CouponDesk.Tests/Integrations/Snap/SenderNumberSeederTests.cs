using CouponDesk.Integrations.Snap;
using CouponDesk.Integrations.Snap.SenderNumbers;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Integrations.Snap;

/// <summary>
/// The development seed of the configured sender number: described as "기본 발신번호", and the earlier seed's
/// "기본 발신번호 (설정)" (shown as "16000000 (기본 발신번호 (설정))" — issue 14 point 15) renamed; an ADMIN's own
/// description is left alone.
/// </summary>
public sealed class SenderNumberSeederTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    [Fact]
    public async Task The_seed_is_described_plainly_and_the_old_seed_label_is_renamed()
    {
        await using var c = await database.OpenAsync();
        var now = DateTime.UtcNow;
        await c.ExecuteAsync(
            "INSERT INTO sender_numbers (number, label, active, created_at, updated_at) VALUES ('15880000', '기본 발신번호 (설정)', 1, @now, @now), ('15990000', '고객센터', 1, @now, @now)",
            new { now });

        foreach (var number in new[] { "15880000", "15990000", "16000000" })
        {
            await Seeder(number).StartAsync(CancellationToken.None);
        }

        var labels = (await c.QueryAsync<(string Number, string Label)>("SELECT number, label FROM sender_numbers ORDER BY number")).ToList();
        Assert.Equal([("15880000", "기본 발신번호"), ("15990000", "고객센터"), ("16000000", "기본 발신번호")], labels);
    }

    private SenderNumberSeeder Seeder(string number) =>
        new(new SnapOptions { CallbackNumber = number, SeedCallbackNumber = true }, database.Connections, new SenderNumberRegistry(TimeProvider.System));

    public Task InitializeAsync() => database.MigrateAsync();

    public Task DisposeAsync() => database.DisposeAsync();
}
