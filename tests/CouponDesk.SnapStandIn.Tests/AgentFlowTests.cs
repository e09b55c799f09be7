using System.Globalization;
using System.Net.Http.Json;
using CouponDesk.TestSupport;

namespace CouponDesk.SnapStandIn.Tests;

public sealed class AgentFlowTests(StandInFixture fixture) : IClassFixture<StandInFixture>
{
    [Fact]
    public async Task A_due_row_is_sent_completed_with_10000_and_moved_to_the_month_table_with_its_image_copied()
    {
        await using var host = await fixture.StartAsync();
        var key = await fixture.InsertAsync();

        var row = await fixture.WaitForLogAsync(key);

        Assert.Equal("complete", row.MSG_STATUS);
        Assert.Equal("10000", row.DONE_CODE);
        Assert.Equal("성공", row.DONE_CODE_DESC);
        Assert.Equal("MMS", row.DONE_CH);
        Assert.Equal("MMS", row.DONE_PRODUCT);
        Assert.Equal("LGU", row.DONE_TELCO);
        Assert.NotNull(row.SENT_DATE);
        Assert.NotNull(row.DONE_DATE);
        Assert.Equal("test", row.ETC6);
        var month = await fixture.ScalarAsync<string>("SELECT DATE_FORMAT(NOW(), '%Y%m')");
        Assert.Equal("UMS_LOG_" + month, row.SOURCE_TABLE);
        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }));
        var today = await fixture.ScalarAsync<string>("SELECT DATE_FORMAT(NOW(), '%Y%m%d')");
        Assert.True(File.Exists(Path.Combine(fixture.Home, today, key + "_1.jpg")));
        Assert.Equal(1, await LedgerCountAsync(host, key));
    }

    [Fact]
    public async Task A_reservation_a_few_seconds_ahead_is_not_taken_before_its_time_and_is_taken_after()
    {
        await using var host = await fixture.StartAsync();
        var key = await fixture.InsertAsync(reqDate: "NOW() + INTERVAL 3 SECOND");

        await WaitForCyclesAsync(host, 5);
        Assert.Equal("ready", await fixture.ScalarAsync<string>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }));

        var row = await fixture.WaitForLogAsync(key);
        Assert.Equal("10000", row.DONE_CODE);
        Assert.True((DateTime)row.SENT_DATE >= (DateTime)row.REQ_DATE);
    }

    [Fact]
    public async Task Rows_without_a_configured_line_or_channel_stay_ready_for_ever()
    {
        await using var host = await fixture.StartAsync();
        var noTraffic = await fixture.InsertAsync(traffic: null);
        var batchLine = await fixture.InsertAsync(traffic: "batch");
        var sms = await fixture.InsertAsync(channel: "SMS");
        var normal = await fixture.InsertAsync();

        await fixture.WaitForLogAsync(normal);
        await WaitForCyclesAsync(host, 3);

        foreach (var key in new[] { noTraffic, batchLine, sms })
        {
            Assert.Equal("ready", await fixture.ScalarAsync<string>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }));
        }
    }

    [Fact]
    public async Task Gateway_checks_fail_with_the_manuals_codes_before_anything_is_sent()
    {
        await using var host = await fixture.StartAsync();
        var cases = new Dictionary<string, string>
        {
            [await fixture.InsertAsync(callback: "0299999999")] = "22002",
            [await fixture.InsertAsync(callback: "02-1234")] = "31122",
            [await fixture.InsertAsync(msg: "선물 🎁")] = "29001",
            [await fixture.InsertAsync(title: "똠양꿍")] = "29001",
            [await fixture.InsertAsync(title: new string('가', 21))] = "23009",
            [await fixture.InsertAsync(msg: new string('가', 1000) + "!")] = "23009",
            [await fixture.InsertAsync(phone: "0200000000")] = "31101",
            [await fixture.InsertAsync(files: "")] = "29000",
            [await fixture.InsertAsync(msg: "")] = "29000",
            [await fixture.InsertAsync(files: string.Join(',', Enumerable.Repeat(await fixture.ImageAsync(), 4)))] = "21004",
            [await fixture.InsertAsync(files: await fixture.ImageAsync(extension: ".png"))] = "21006",
            [await fixture.InsertAsync(files: Path.Combine(fixture.Images, "missing.jpg"))] = "29029",
            [await fixture.InsertAsync(files: await fixture.ImageAsync(TestJpeg.Create(totalBytes: 300_001)))] = "21002",
            [await fixture.InsertAsync(files: await fixture.ImageAsync(TestJpeg.Create(1500, 1421)))] = "21007",
            [await fixture.InsertAsync(files: await fixture.ImageAsync(TestJpeg.Png()))] = "23001",
            [await fixture.InsertAsync(files: await fixture.ImageAsync([0xFF, 0xD8, 0xFF, 0xD9]))] = "23002",
        };

        foreach (var (key, code) in cases)
        {
            var row = await fixture.WaitForLogAsync(key);
            Assert.True(code == (string)row.DONE_CODE, $"expected {code}, got {row.DONE_CODE}");
            Assert.Null(row.SENT_DATE);
            Assert.Null(row.DONE_PRODUCT);
            Assert.Equal(0, await LedgerCountAsync(host, key));
        }
    }

    [Fact]
    public async Task A_key_already_in_a_month_table_fails_as_a_duplicate()
    {
        await using var host = await fixture.StartAsync();
        var key = await fixture.InsertAsync();
        await fixture.WaitForLogAsync(key);
        await host.DisposeAsync();

        await using var again = await fixture.StartAsync();
        await fixture.InsertAsync(key: key);
        await StandInFixture.WaitUntilAsync(
            async () => await fixture.ScalarAsync<int>($"SELECT COUNT(*) FROM UMS_LOG_{await Month()} WHERE CLIENT_KEY = @key", new { key }) == 2,
            what: "the duplicate to be logged");
        Assert.Equal("29024", await fixture.ScalarAsync<string>(
            $"SELECT DONE_CODE FROM UMS_LOG_{await Month()} WHERE CLIENT_KEY = @key ORDER BY SENT_DATE IS NULL DESC LIMIT 1", new { key }));
        Assert.Equal(1, await LedgerCountAsync(again, key));
    }

    [Theory]
    [InlineData("01009900001", "31107")]
    [InlineData("01009910001", "31108")]
    [InlineData("01009920001", "31112")]
    public async Task Phone_rules_aim_a_failure_at_a_chosen_recipient(string phone, string code)
    {
        await using var host = await fixture.StartAsync();
        var aimed = await fixture.InsertAsync(phone: phone);
        var other = await fixture.InsertAsync(phone: "01009890001");

        Assert.Equal(code, (string)(await fixture.WaitForLogAsync(aimed)).DONE_CODE);
        Assert.Equal("10000", (string)(await fixture.WaitForLogAsync(other)).DONE_CODE);
    }

    [Fact]
    public async Task A_no_result_phone_stays_in_request()
    {
        await using var host = await fixture.StartAsync();
        var key = await fixture.InsertAsync(phone: "01009950001");

        await StandInFixture.WaitUntilAsync(async () =>
            await fixture.ScalarAsync<string?>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }) == "request");
        await WaitForCyclesAsync(host, 5);
        Assert.Equal("request", await fixture.ScalarAsync<string>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }));
    }

    [Fact]
    public async Task While_paused_nothing_is_taken_and_after_resume_it_is()
    {
        await using var host = await fixture.StartAsync();
        using var client = host.CreateClient();
        (await client.PostAsync("_control/pause", null)).EnsureSuccessStatusCode();
        var key = await fixture.InsertAsync();

        await Task.Delay(1000);
        Assert.Equal("ready", await fixture.ScalarAsync<string>("SELECT MSG_STATUS FROM UMS_MSG WHERE CLIENT_KEY = @key", new { key }));

        (await client.PostAsync("_control/resume", null)).EnsureSuccessStatusCode();
        Assert.Equal("10000", (string)(await fixture.WaitForLogAsync(key)).DONE_CODE);
    }

    [Fact]
    public async Task The_phone_view_lists_what_a_number_received_with_its_image_and_takes_the_number_only_in_a_body()
    {
        await using var host = await fixture.StartAsync();
        using var client = host.CreateClient();
        var key = await fixture.InsertAsync(phone: "01000770001", title: "[테스트] 폰 보기");
        await fixture.WaitForLogAsync(key);

        var messages = await (await client.PostAsJsonAsync("phone/messages", new { phone = "010-0077-0001" })).Content.ReadFromJsonAsync<List<PhoneMessage>>();

        var message = Assert.Single(messages!);
        Assert.Equal(key, message.ClientKey);
        Assert.Equal("[테스트] 폰 보기", message.Title);
        var image = await client.GetAsync(message.Images.Single().TrimStart('/'));
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestJpeg.Create().Length, (await image.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("phone/messages", new { phone = "abc" })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("phone/images/..%2F..%2Fetc/1")).StatusCode);
        Assert.Contains("<form", await client.GetStringAsync("phone"), StringComparison.Ordinal);
    }

    private async Task<string> Month() => await fixture.ScalarAsync<string>("SELECT DATE_FORMAT(NOW(), '%Y%m')");

    private static async Task<int> LedgerCountAsync(LoopbackHost host, string key)
    {
        using var client = host.CreateClient();
        var response = await client.PostAsJsonAsync("_control/ledger/query", new { clientKeys = new[] { key } });
        var entries = await response.Content.ReadFromJsonAsync<List<LedgerEntry>>();
        return entries!.SingleOrDefault()?.Count ?? 0;
    }

    private static async Task WaitForCyclesAsync(LoopbackHost host, int cycles)
    {
        var state = (AgentState)host.Services.GetService(typeof(AgentState))!;
        var target = state.Cycles + cycles;
        await StandInFixture.WaitUntilAsync(() => Task.FromResult(state.Cycles >= target), what: string.Create(CultureInfo.InvariantCulture, $"{cycles} cycles"));
    }

    private sealed record LedgerEntry(string ClientKey, int Count);

    private sealed record PhoneMessage(string ClientKey, string? Title, string? Body, string[] Images);
}
