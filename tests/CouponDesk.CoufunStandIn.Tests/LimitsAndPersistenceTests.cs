using CouponDesk.TestSupport;

namespace CouponDesk.CoufunStandIn.Tests;

public sealed class LimitsAndPersistenceTests
{
    [Fact]
    public async Task The_daily_product_list_limit_answers_the_spec_example_byte_for_byte()
    {
        await using var standIn = await CoufunStandInHost.StartAsync(new KeyValuePair<string, string?>("StandIn:ProductListDailyLimit", "2"));
        for (var i = 0; i < 2; i++)
        {
            Assert.Contains("<RESULT_CODE>00</RESULT_CODE>", await CoufunStandInHost.TextAsync(await standIn.PostAsync("coufunProduct.do", "POC_ID=TESTPOC01")));
        }

        var third = await standIn.PostAsync("coufunProduct.do", "POC_ID=TESTPOC01");

        Assert.Equal("<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n<PRODUCTLIST>\n  <RESULT_CODE>09</RESULT_CODE>\n  <RESULT_MSG>상품목록 조회 오류</RESULT_MSG>\n</PRODUCTLIST>\n", await CoufunStandInHost.TextAsync(third));
    }

    [Theory]
    [InlineData("StandIn:AllowedCallers:0", "10.0.0.1", "01")]
    [InlineData("StandIn:EnabledFunctions:0", "status", "98")]
    [InlineData("StandIn:IntegrationEndsOn", "2020-01-01", "05")]
    [InlineData("StandIn:PocSuspended", "true", "02")]
    [InlineData("StandIn:IssuanceCeiling", "1", "95")]
    public async Task Account_level_checks_answer_their_codes(string key, string value, string code)
    {
        var settings = new List<KeyValuePair<string, string?>> { new(key, value) };
        await using var standIn = await CoufunStandInHost.StartAsync([.. settings]);

        var response = await standIn.PostAsync("coufunCreate.do", "POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=2&TR_ID=CDT1");

        Assert.Contains($"<RESULT_CODE>{code}</RESULT_CODE>", await CoufunStandInHost.TextAsync(response));
        Assert.Equal(0, (await standIn.CountersAsync("CDT1")).Coupons);
    }

    [Fact]
    public async Task Used_TR_IDs_and_coupons_survive_a_restart_of_the_stand_in()
    {
        var database = new TestDatabase();
        try
        {
            KeyValuePair<string, string?>[] settings = [new("StandIn:ConnectionString", database.ConnectionString), new("StandIn:PocId", "TESTPOC01"), new("Serilog:MinimumLevel:Default", "Warning")];
            await using (var first = await LoopbackHost.StartAsync(CoufunStandInApp.Build, settings))
            {
                using var c = first.CreateClient();
                await c.PostAsync("b2c_api/coufunCreate.do", new FormUrlEncodedContent(new Dictionary<string, string> { ["POC_ID"] = "TESTPOC01", ["GOODS_ID"] = "0000000101", ["CREATE_CNT"] = "3", ["TR_ID"] = "CDTRESTART1" }));
            }

            await using var second = await LoopbackHost.StartAsync(CoufunStandInApp.Build, settings);
            using var client = second.CreateClient();
            var again = await client.PostAsync("b2c_api/coufunCreate.do", new FormUrlEncodedContent(new Dictionary<string, string> { ["POC_ID"] = "TESTPOC01", ["GOODS_ID"] = "0000000101", ["CREATE_CNT"] = "3", ["TR_ID"] = "CDTRESTART1" }));

            Assert.Contains("<RESULT_CODE>12</RESULT_CODE>", await CoufunStandInHost.TextAsync(again));
            var counters = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<TrIdCountersDto>(client, "_control/tr-ids/CDTRESTART1");
            Assert.Equal((2, 1, 3), (counters!.Calls, counters.Orders, counters.Coupons));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
