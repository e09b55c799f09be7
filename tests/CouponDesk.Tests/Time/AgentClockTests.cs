using CouponDesk.Shared.Time;
using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Time;

/// <summary>
/// The SNAP Agent sends a row when <c>REQ_DATE &lt; NOW()</c> in the database's own zone. These tests pin the rule
/// the earlier prototype broke (UTC reservations went out nine hours late): a KST wall-clock value we compute is
/// exactly what the server's NOW() compares against.
/// </summary>
public sealed class AgentClockTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    [Fact]
    public async Task The_servers_now_is_kst()
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleAsync<(DateTime Now, DateTime Utc)>("SELECT NOW(6), UTC_TIMESTAMP(6)");

        Assert.InRange((row.Now - row.Utc).TotalHours, 8.999, 9.001);
        var ours = Kst.Now(TimeProvider.System);
        Assert.InRange((ours - DateTime.SpecifyKind(row.Now, DateTimeKind.Unspecified)).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_reservation_two_seconds_ahead_is_not_due_before_then_and_is_due_after()
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE reservation_probe (req_date DATETIME NOT NULL)");
        var serverNow = await connection.ExecuteScalarAsync<DateTime>("SELECT NOW()");
        var reservation = DateTime.SpecifyKind(serverNow, DateTimeKind.Unspecified).AddSeconds(2);
        await connection.ExecuteAsync("INSERT INTO reservation_probe VALUES (@reservation)", new { reservation });

        const string due = "SELECT COUNT(*) FROM reservation_probe WHERE req_date < NOW()";
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(due));
        await Task.Delay(TimeSpan.FromSeconds(3.2));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(due));
    }

    [Fact]
    public async Task A_kst_reservation_computed_from_utc_is_due_exactly_at_its_kst_moment()
    {
        await using var connection = await database.OpenAsync();
        var utcNow = await connection.ExecuteScalarAsync<DateTime>("SELECT UTC_TIMESTAMP()");
        var inTenMinutesKst = Kst.ToKst(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc).AddMinutes(10));

        var dueNow = await connection.ExecuteScalarAsync<int>("SELECT @at < NOW()", new { at = inTenMinutesKst });
        var dueInElevenMinutes = await connection.ExecuteScalarAsync<int>(
            "SELECT @at < DATE_ADD(NOW(), INTERVAL 11 MINUTE)", new { at = inTenMinutesKst });
        var dueInNineMinutes = await connection.ExecuteScalarAsync<int>(
            "SELECT @at < DATE_ADD(NOW(), INTERVAL 9 MINUTE)", new { at = inTenMinutesKst });

        Assert.Equal(0, dueNow);
        Assert.Equal(0, dueInNineMinutes);
        Assert.Equal(1, dueInElevenMinutes);
    }

    [Fact]
    public void Kst_conversion_round_trips()
    {
        var utc = new DateTime(2026, 12, 31, 15, 30, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2027, 1, 1, 0, 30, 0), Kst.ToKst(utc));
        Assert.Equal(utc, Kst.ToUtc(Kst.ToKst(utc)));
        Assert.Equal("2027-01-01 00:30", Kst.FormatMinute(utc));
    }

    public async Task InitializeAsync() => await database.CreateEmptyAsync();

    public Task DisposeAsync() => database.DisposeAsync();

}
