using System.Net;
using System.Text;
using System.Xml.Linq;
using CouponDesk.Features.Coupons;
using CouponDesk.Shared.Text;
using Dapper;

namespace CouponDesk.Tests.Features.Coupons;

public sealed class PushHost : IAsyncLifetime
{
    public BackOfficeOnSocket BackOffice { get; private set; } = null!;

    public async Task InitializeAsync() => BackOffice = await BackOfficeOnSocket.StartAsync();

    public async Task DisposeAsync() => await BackOffice.DisposeAsync();
}

/// <summary>The exchange push receiver over a real socket: every reply is HTTP 200 XML, nothing is lost or applied twice.</summary>
public sealed class ExchangePushTests(PushHost fixture) : IClassFixture<PushHost>
{
    private BackOfficeOnSocket BackOffice => fixture.BackOffice;

    private static string NewNumber() => "9" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(HttpResponseMessage Response, XElement Reply)> PushAsync(string form, string contentType = "application/x-www-form-urlencoded")
    {
        using var client = BackOffice.Host.CreateClient();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await client.PostAsync(ExchangePushEndpoint.Path, content);
        var text = KoreanEncoding.Cp949.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml; charset=EUC-KR", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n<COUPONEXCHANGE>", text);
        Assert.All(text, c => Assert.True(c < 128)); // the manual: digits and English letters only
        return (response, XDocument.Parse(text).Root!);
    }

    private static string Form(string number, string status = "001", string date = "20261201143015", string exchangeNum = "A000000000000123", string extra = "") =>
        $"BARCODE_NUM={number}&EXCHANGE_NUM={exchangeNum}&STATUS={status}&EXCHANGE_DATE={date}&BRANCH_NAME=%C5%D7%BD%BA%C6%AE%20%B0%AD%B3%B2%C1%A1&BRANCH_CODE=B00017&BARCODE_TYPE=BARCODE&PRICE=4230&BALANCE=0{extra}";

    private async Task<int> CountAsync(string sql, object? args = null)
    {
        await using var c = await BackOffice.Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>(sql, args);
    }

    [Fact]
    public async Task A_valid_push_marks_the_coupon_used_and_a_duplicate_gets_the_same_exchange_id()
    {
        var number = NewNumber();
        await BackOffice.InsertAsync(BackOfficeOnSocket.Coupon(number));

        var (_, first) = await PushAsync(Form(number));
        var (_, again) = await PushAsync(Form(number));

        Assert.Equal("00", first.Element("RESULTCODE")!.Value);
        Assert.Equal("Success", first.Element("RESULTMSG")!.Value);
        Assert.Matches("^EX[0-9]{12}$", first.Element("EXCHANGE_ID")!.Value);
        Assert.Equal(first.Element("EXCHANGE_ID")!.Value, again.Element("EXCHANGE_ID")!.Value);
        var coupon = (await BackOffice.Coupons.FindByNumberAsync(number))!;
        Assert.Equal((CouponStatus.Used, 0, "001"), (coupon.Status, coupon.Balance, coupon.SupplierStatus));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM coupon_exchanges WHERE coupon_id = @id", new { id = coupon.Id }));
        Assert.Equal("테스트 강남점", await ScalarAsync<string>("SELECT branch_name FROM coupon_exchanges WHERE coupon_id = @id", new { id = coupon.Id }));
        var logged = await ScalarAsync<string>("SELECT GROUP_CONCAT(body_masked) FROM coupon_exchange_pushes WHERE coupon_id = @id", new { id = coupon.Id });
        Assert.DoesNotContain(number, logged, StringComparison.Ordinal);
        Assert.Contains(number[^4..], logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amount_coupon_follows_the_balance_and_an_older_event_never_overwrites_a_newer_one()
    {
        var number = NewNumber();
        await BackOffice.InsertAsync(BackOfficeOnSocket.Coupon(number, CouponType.Amount, 30000, "0000000202"));

        await PushAsync($"BARCODE_NUM={number}&EXCHANGE_NUM=E2&STATUS=001&EXCHANGE_DATE=20261203091500&BARCODE_TYPE=AMOUNT&PRICE=8000&BALANCE=12000");
        var (_, late) = await PushAsync($"BARCODE_NUM={number}&EXCHANGE_NUM=E1&STATUS=001&EXCHANGE_DATE=20261202091500&BARCODE_TYPE=AMOUNT&PRICE=10000&BALANCE=20000");

        Assert.Equal("00", late.Element("RESULTCODE")!.Value);
        var coupon = (await BackOffice.Coupons.FindByNumberAsync(number))!;
        Assert.Equal((CouponStatus.PartiallyUsed, 18000, 12000), (coupon.Status, coupon.UsedAmount, coupon.Balance));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM coupon_exchanges WHERE coupon_id = @id", new { id = coupon.Id }));
    }

    [Fact]
    public async Task An_unknown_coupon_number_is_answered_03_without_an_exchange_id()
    {
        var (_, reply) = await PushAsync(Form(NewNumber()));

        Assert.Equal("03", reply.Element("RESULTCODE")!.Value);
        Assert.Equal("Unknown coupon number", reply.Element("RESULTMSG")!.Value);
        Assert.Null(reply.Element("EXCHANGE_ID"));
    }

    [Theory]
    [InlineData("EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015")]
    [InlineData("BARCODE_NUM={n}&EXCHANGE_NUM=A1&STATUS=002&EXCHANGE_DATE=20261201143015")]
    [InlineData("BARCODE_NUM={n}&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261301143015")]
    [InlineData("BARCODE_NUM={n}&EXCHANGE_NUM=A1&STATUS=001")]
    [InlineData("BARCODE_NUM={n}&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015&PRICE=12a")]
    [InlineData("BARCODE_NUM={n}&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015&BARCODE_TYPE=VOUCHER")]
    [InlineData("<xml>not a form</xml>")]
    [InlineData("")]
    public async Task A_malformed_push_is_answered_99_and_changes_nothing(string template)
    {
        var number = NewNumber();
        await BackOffice.InsertAsync(BackOfficeOnSocket.Coupon(number));

        var (_, reply) = await PushAsync(template.Replace("{n}", number, StringComparison.Ordinal));

        Assert.Equal("99", reply.Element("RESULTCODE")!.Value);
        Assert.Null(reply.Element("EXCHANGE_ID"));
        Assert.Equal(CouponStatus.Unused, (await BackOffice.Coupons.FindByNumberAsync(number))!.Status);
    }

    [Fact]
    public async Task An_oversized_push_is_answered_99_and_changes_nothing()
    {
        var number = NewNumber();
        await BackOffice.InsertAsync(BackOfficeOnSocket.Coupon(number));

        var (_, reply) = await PushAsync(Form(number, extra: "&PAD=" + new string('x', 20_000)));

        Assert.Equal("99", reply.Element("RESULTCODE")!.Value);
        Assert.Equal(CouponStatus.Unused, (await BackOffice.Coupons.FindByNumberAsync(number))!.Status);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM coupon_exchange_pushes WHERE note LIKE 'body larger%' AND body_masked NOT LIKE @n", new { n = $"%{number}%" }));
    }

    [Theory]
    [InlineData("BARCODE_NUM=1'%20OR%20'1'%3D'1&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015")]
    [InlineData("BARCODE_NUM=%3C%2FRESULTCODE%3E&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015")]
    [InlineData("BARCODE_NUM=%00%FF%FE&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015")]
    [InlineData("BARCODE_NUM=123&EXCHANGE_NUM=A1&STATUS=001&EXCHANGE_DATE=20261201143015&BRANCH_NAME=%3Cscript%3Ealert(1)%3C%2Fscript%3E%3C!DOCTYPE%20x%20%5B%3C!ENTITY%20e%20SYSTEM%20%22file%3A%2F%2F%2Fetc%2Fpasswd%22%3E%5D%3E")]
    [InlineData("BARCODE_NUM=123&BARCODE_NUM=456&EXCHANGE_NUM=%%%&STATUS=001&EXCHANGE_DATE=20261201143015")]
    public async Task A_hostile_push_gets_a_well_formed_refusal(string form)
    {
        var before = await CountAsync("SELECT COUNT(*) FROM coupon_exchanges");

        var (_, reply) = await PushAsync(form);

        Assert.Contains(reply.Element("RESULTCODE")!.Value, new[] { "03", "99" });
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM coupon_exchanges"));
    }

    [Fact]
    public async Task A_push_from_an_address_outside_the_allowlist_is_answered_01_and_changes_nothing()
    {
        await using var strict = await BackOfficeOnSocket.StartAsync(allowedSource: "203.0.113.0/24");
        var number = NewNumber();
        await strict.InsertAsync(BackOfficeOnSocket.Coupon(number));
        using var client = strict.Host.CreateClient();

        var response = await client.PostAsync(ExchangePushEndpoint.Path, new StringContent(Form(number), Encoding.ASCII, "application/x-www-form-urlencoded"));
        var reply = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("01", "Unregistered IP"), (reply.Element("RESULTCODE")!.Value, reply.Element("RESULTMSG")!.Value));
        Assert.Equal(CouponStatus.Unused, (await strict.Coupons.FindByNumberAsync(number))!.Status);
    }

    private async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using var c = await BackOffice.Database.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }
}
