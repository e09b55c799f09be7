using System.Net.Http.Json;
using Dapper;

namespace CouponDesk.SnapStandIn.Tests;

/// <summary>A stand-in stopped at any point and started again finishes every row it had taken, and sends each exactly once.</summary>
public sealed class RestartTests(StandInFixture fixture) : IClassFixture<StandInFixture>
{
    [Fact]
    public async Task Restarting_mid_batch_delivers_each_message_exactly_once()
    {
        var keys = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            keys.Add(await fixture.InsertAsync(phone: $"0100001{i:D4}"));
        }

        var first = await fixture.StartAsync(("Agent:Tps", "20"));
        await StandInFixture.WaitUntilAsync(async () => await SentAsync() >= 10, what: "some messages sent");
        await first.DisposeAsync();
        var sentBeforeRestart = await SentAsync();
        Assert.InRange(sentBeforeRestart, 10, 59);

        await using var second = await fixture.StartAsync(("Agent:Tps", "200"));
        foreach (var key in keys)
        {
            await fixture.WaitForLogAsync(key);
        }

        using var client = second.CreateClient();
        var ledger = await (await client.PostAsJsonAsync("_control/ledger/query", new { clientKeys = keys })).Content.ReadFromJsonAsync<List<Entry>>();
        Assert.Equal(keys.Order(), ledger!.Select(e => e.ClientKey).Order());
        Assert.All(ledger!, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task Rows_left_in_flight_by_a_crash_are_finished_and_a_row_already_sent_is_not_sent_again()
    {
        var checkedKey = await fixture.InsertAsync(phone: "01000020001");
        var requestKey = await fixture.InsertAsync(phone: "01000020002");
        var claimedKey = await fixture.InsertAsync(phone: "01000020003");
        await using (var connection = await fixture.OpenAsync())
        {
            // What a crash leaves: a claimed row (pre-image), a checked row (pre-send) and a sent row (request, in the ledger).
            await connection.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = 'pre-image' WHERE CLIENT_KEY = @claimedKey", new { claimedKey });
            await connection.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = 'pre-send', ROUTE_INFO = 'STANDIN-01' WHERE CLIENT_KEY = @checkedKey", new { checkedKey });
            await connection.ExecuteAsync("UPDATE UMS_MSG SET MSG_STATUS = 'request', ROUTE_INFO = 'STANDIN-01', SENT_DATE = NOW() WHERE CLIENT_KEY = @requestKey", new { requestKey });
        }

        await using var host = await fixture.StartAsync();
        await fixture.InsertAsync(phone: "01000020009"); // and the ledger table exists once the host has started
        await using (var connection = await fixture.OpenAsync())
        {
            await StandInFixture.WaitUntilAsync(async () => await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'snapstandin_deliveries'") == 1);
            await connection.ExecuteAsync(
                "INSERT IGNORE INTO snapstandin_deliveries VALUES (@requestKey, '01000020002', 't', 'm', '', 1, NOW(), NOW())", new { requestKey });
        }

        foreach (var key in new[] { checkedKey, requestKey, claimedKey })
        {
            Assert.Equal("10000", (string)(await fixture.WaitForLogAsync(key)).DONE_CODE);
        }

        using var client = host.CreateClient();
        var ledger = await (await client.PostAsJsonAsync("_control/ledger/query", new { clientKeys = new[] { checkedKey, requestKey, claimedKey } }))
            .Content.ReadFromJsonAsync<List<Entry>>();
        Assert.Equal(3, ledger!.Count);
        Assert.All(ledger, e => Assert.Equal(1, e.Count));
    }

    private async Task<int> SentAsync()
    {
        await using var connection = await fixture.OpenAsync();
        var exists = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'snapstandin_deliveries'");
        return exists == 0 ? 0 : await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM snapstandin_deliveries");
    }

    private sealed record Entry(string ClientKey, int Count);
}
