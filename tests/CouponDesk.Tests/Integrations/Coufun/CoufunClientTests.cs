using System.Net;
using System.Net.Sockets;
using System.Text;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Text;
using CouponDesk.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Integrations.Coufun;

public sealed class StandInForClient : IAsyncLifetime
{
    public CoufunStandInHost StandIn { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public CoufunClient Client => Services.GetRequiredService<CoufunClient>();

    public async Task InitializeAsync()
    {
        StandIn = await CoufunStandInHost.StartAsync();
        Services = ClientHarness.Build(StandIn.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await StandIn.DisposeAsync();
    }
}

/// <summary>The client against the real stand-in over HTTP: outcomes, faults, the in-doubt case, CP949.</summary>
public sealed class CoufunClientTests(StandInForClient fixture) : IClassFixture<StandInForClient>, IAsyncLifetime
{
    private CoufunClient Client => fixture.Client;

    private CoufunStandInHost StandIn => fixture.StandIn;

    private static string Trid() => "CDT" + Guid.NewGuid().ToString("N")[..24];

    public Task InitializeAsync() => StandIn.ClearFaultsAsync();

    public Task DisposeAsync() => StandIn.ClearFaultsAsync();

    [Fact]
    public async Task A_create_returns_the_coupons_and_a_second_call_with_the_same_TR_ID_is_a_duplicate()
    {
        var tr = Trid();

        var first = await Client.CreateAsync("0000000101", 3, tr);
        var second = await Client.CreateAsync("0000000101", 3, tr);

        Assert.Equal(CoufunOutcome.Success, first.Outcome);
        Assert.Equal(3, first.Value!.Coupons.Count);
        Assert.False(first.Value.NeedsReview);
        Assert.Equal(tr, first.TrId);
        Assert.NotNull(first.Value.ValidEndDate);
        Assert.Equal(CoufunOutcome.Duplicate, second.Outcome);
        Assert.Equal("12", second.ResultCode);
        Assert.Null(second.Value);
        Assert.Equal(3, (await StandIn.CountersAsync(tr)).Coupons);
    }

    [Fact]
    public async Task Dropping_the_response_after_creating_is_in_doubt_with_the_TR_ID_and_the_retry_confirms_it()
    {
        var tr = Trid();
        await StandIn.SetFaultsAsync(new { dropAfterCreateRate = 1.0, remaining = 1 });

        var lost = await Client.CreateAsync("0000000101", 2, tr);
        var retry = await Client.CreateAsync("0000000101", 2, tr);

        Assert.Equal(CoufunOutcome.InDoubt, lost.Outcome);
        Assert.Equal(tr, lost.TrId);
        Assert.Null(lost.ResultCode);
        Assert.Equal(CoufunOutcome.Duplicate, retry.Outcome);
        var counters = await StandIn.CountersAsync(tr);
        Assert.Equal((2, 1, 2, 1), (counters.Calls, counters.Orders, counters.Coupons, counters.ResponsesDropped));
    }

    [Fact]
    public async Task A_create_that_times_out_is_in_doubt_and_was_sent_exactly_once()
    {
        var tr = Trid();
        await StandIn.SetFaultsAsync(new { timeoutRate = 1.0, stallMs = 10_000, remaining = 1 });

        var result = await Client.CreateAsync("0000000101", 1, tr);

        Assert.Equal(CoufunOutcome.InDoubt, result.Outcome);
        Assert.Contains("no answer", result.Failure);
        var counters = await StandIn.CountersAsync(tr);
        Assert.Equal((0, 0), (counters.Orders, counters.Coupons)); // the stall came before processing: nothing was bought
    }

    [Fact]
    public async Task A_server_error_page_is_in_doubt_for_create_and_transient_for_a_status_read()
    {
        await StandIn.SetFaultsAsync(new { serverErrorRate = 1.0, remaining = 1 });
        var create = await Client.CreateAsync("0000000101", 1, Trid());
        await StandIn.SetFaultsAsync(new { serverErrorRate = 1.0, remaining = 2 });
        var status = await Client.GetStatusAsync("0000000101", "900000000001");

        Assert.Equal(CoufunOutcome.InDoubt, create.Outcome);
        Assert.Equal("HTTP 500", create.Failure);
        Assert.Contains("Internal Server Error", create.MaskedRawResponse);
        Assert.Equal(CoufunOutcome.Transient, status.Outcome);
    }

    [Fact]
    public async Task A_status_read_is_retried_after_a_server_error_and_succeeds()
    {
        var created = await Client.CreateAsync("0000000101", 1, Trid());
        await StandIn.SetFaultsAsync(new { serverErrorRate = 1.0, remaining = 1, endpoints = new[] { "status" } });

        var status = await Client.GetStatusAsync("0000000101", created.Value!.Coupons[0].BarcodeNum);

        Assert.Equal(CoufunOutcome.Success, status.Outcome);
        Assert.Equal("000", status.Value!.Status);
    }

    [Fact]
    public async Task Malformed_XML_is_in_doubt_for_create_with_the_raw_answer_kept_masked()
    {
        await StandIn.SetFaultsAsync(new { malformedRate = 1.0, remaining = 1 });
        var tr = Trid();

        var result = await Client.CreateAsync("0000000101", 2, tr);

        Assert.Equal(CoufunOutcome.InDoubt, result.Outcome);
        Assert.Contains("not well-formed", result.Failure);
        Assert.NotNull(result.MaskedRawResponse);
        var orders = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(StandIn.Client, $"_control/orders?trId={tr}");
        var barcodes = orders[0].GetProperty("coupons").EnumerateArray().Select(c => c.GetProperty("barcodeNum").GetString()!).ToList();
        Assert.Equal(2, barcodes.Count); // the coupons were bought: that is why the outcome is in doubt
        Assert.All(barcodes, b => Assert.DoesNotContain(b, result.MaskedRawResponse!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("50", CoufunOutcome.Transient)]
    [InlineData("99", CoufunOutcome.Transient)]
    [InlineData("23", CoufunOutcome.Duplicate)]
    public async Task Forced_codes_map_to_their_outcomes_and_do_not_consume_the_TR_ID(string code, CoufunOutcome expected)
    {
        var tr = Trid();
        await StandIn.SetFaultsAsync(new { forcedCodeRate = 1.0, forcedCode = code, remaining = 1 });

        var failed = await Client.CreateAsync("0000000101", 1, tr);
        var retried = await Client.CreateAsync("0000000101", 1, tr);

        Assert.Equal(expected, failed.Outcome);
        Assert.Equal(code, failed.ResultCode);
        Assert.Equal(CoufunOutcome.Success, retried.Outcome);
        Assert.Equal(1, (await StandIn.CountersAsync(tr)).Coupons);
    }

    [Fact]
    public async Task Request_errors_are_rejected_and_account_problems_need_a_person()
    {
        var unknownGoods = await Client.CreateAsync("9999999999", 1, Trid());
        var unknownCoupon = await Client.GetStatusAsync("0000000101", "123");

        Assert.Equal((CoufunOutcome.NeedsPerson, "10"), (unknownGoods.Outcome, unknownGoods.ResultCode));
        Assert.Contains("상품정보 오류", unknownGoods.DescribeKo());
        Assert.Equal((CoufunOutcome.Rejected, CoufunResultClass.ClientError), (unknownCoupon.Outcome, unknownCoupon.ResultClass));
    }

    [Fact]
    public async Task Cancel_is_idempotent_and_a_used_coupon_is_refused()
    {
        var created = await Client.CreateAsync("0000000101", 2, Trid());
        var (a, b) = (created.Value!.Coupons[0].BarcodeNum, created.Value.Coupons[1].BarcodeNum);
        (await StandIn.CouponEventAsync("use", b)).EnsureSuccessStatusCode();

        var first = await Client.CancelAsync("0000000101", a);
        var again = await Client.CancelAsync("0000000101", a);
        var used = await Client.CancelAsync("0000000101", b);
        var status = await Client.GetStatusAsync("0000000101", a);

        Assert.Equal((CoufunOutcome.Success, false), (first.Outcome, first.Value!.WasAlreadyCancelled));
        Assert.Equal((CoufunOutcome.Success, true), (again.Outcome, again.Value!.WasAlreadyCancelled));
        Assert.Equal((CoufunOutcome.Rejected, CoufunResultClass.BusinessRejection), (used.Outcome, used.ResultClass));
        Assert.Equal("100", status.Value!.Status);
        Assert.NotNull(status.Value.CancelledAtUtc);
    }

    [Fact]
    public async Task The_product_list_decodes_CP949_only_syllables()
    {
        var list = await Client.GetProductsAsync();

        Assert.Equal(CoufunOutcome.Success, list.Outcome);
        Assert.Equal(list.Value!.ListCount, list.Value.Products.Count);
        Assert.Contains(list.Value.Products, p => p.Name!.Contains("똠얌꿍", StringComparison.Ordinal));
        Assert.All(list.Value.Products, p => Assert.Matches("^[0-9]{10}$", p.GoodsId));
        Assert.Contains(list.Value.Products, p => p.ImageLarge is { Width: 500, Height: 500 });
    }

    [Fact]
    public async Task A_refused_connection_is_transient_for_create_because_nothing_was_sent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // the port is now closed: connections are refused
        await using var services = ClientHarness.Build($"http://127.0.0.1:{port}/b2c_api/");

        var result = await services.GetRequiredService<CoufunClient>().CreateAsync("0000000101", 1, Trid());

        Assert.Equal(CoufunOutcome.Transient, result.Outcome);
        Assert.Contains("no connection", result.Failure);
    }

    [Fact]
    public async Task A_TR_ID_outside_the_safe_alphabet_is_refused_before_anything_is_sent() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateAsync("0000000101", 1, "CD-1"));

    [Fact]
    public void Strict_EUC_KR_cannot_decode_what_COUFUN_sends_but_CP949_can()
    {
        var bytes = KoreanEncoding.Cp949.GetBytes("똠얌꿍");

        Assert.NotEqual("똠얌꿍", Encoding.GetEncoding(51949).GetString(bytes));
        Assert.Equal("똠얌꿍", KoreanEncoding.Cp949.GetString(bytes));
    }
}
