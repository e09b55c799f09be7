using System.Net;
using System.Xml.Linq;
using CouponDesk.TestSupport;

namespace CouponDesk.CoufunStandIn.Tests;

/// <summary>
/// Raw-HTTP contract cases against the stand-in: answers checked against spec/coufun-b2c-api.md — byte for byte where
/// the spec fixes the body (failure answers), element by element where values are invented (success answers).
/// </summary>
public sealed class ContractTests(StandInFixture fixture) : IClassFixture<StandInFixture>
{
    private const string Declaration = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?>\n";
    private CoufunStandInHost StandIn => fixture.StandIn;

    private static string Trid() => "CDT" + Guid.NewGuid().ToString("N")[..20];

    [Fact]
    public async Task A_reused_TR_ID_answers_the_spec_example_byte_for_byte()
    {
        var tr = Trid();
        await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=2&TR_ID={tr}");

        var again = await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=2&TR_ID={tr}");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("text/xml; charset=EUC-KR", again.Content.Headers.ContentType!.ToString());
        Assert.Equal(Declaration + "<COUFUNCREATE>\n  <RESULT_CODE>12</RESULT_CODE>\n  <RESULT_MSG>TR_ID 중복 오류</RESULT_MSG>\n</COUFUNCREATE>\n", await CoufunStandInHost.TextAsync(again));
        var counters = await StandIn.CountersAsync(tr);
        Assert.Equal((2, 1, 2), (counters.Calls, counters.Orders, counters.Coupons));
    }

    [Fact]
    public async Task A_create_answers_the_spec_shape_with_one_ORDER_INFO_per_coupon_in_CP949()
    {
        var tr = Trid();
        var response = await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=2&TR_ID={tr}");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = await CoufunStandInHost.TextAsync(response);
        Assert.StartsWith(Declaration + "<COUFUNCREATE>\n  <RESULT_CODE>00</RESULT_CODE>\n  <RESULT_MSG>SUCCESS</RESULT_MSG>\n", text);
        Assert.Contains(bytes, b => b >= 0x80); // STAMP_DUTY in Korean: EUC-KR bytes, not UTF-8
        var root = XDocument.Parse(text).Root!;
        Assert.Equal(
            ["RESULT_CODE", "RESULT_MSG", "ORDER_ID", "CAT_ID", "GOODS_ID", "TR_ID", "ORDER_CNT", "VALID_END_DATE", "RESERVE1", "RESERVE2", "ORDER_INFO", "ORDER_INFO"],
            root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(tr, root.Element("TR_ID")!.Value);
        Assert.All(root.Elements("ORDER_INFO"), o =>
        {
            Assert.Matches("^9[0-9]{11}$", o.Element("BARCODE_NUM")!.Value);
            Assert.Equal("인지세 해당 없음", o.Element("STAMP_DUTY")!.Value);
        });
    }

    [Theory]
    [InlineData("POC_ID=NOTOURS&GOODS_ID=0000000101&CREATE_CNT=1", "02", "POC_ID 오류")]
    [InlineData("GOODS_ID=0000000101&CREATE_CNT=1", "02", "POC_ID 오류")]
    [InlineData("POC_ID=TESTPOC01&GOODS_ID=9999999999&CREATE_CNT=1", "10", "상품정보 오류")]
    [InlineData("POC_ID=TESTPOC01&CREATE_CNT=1", "10", "상품정보 오류")]
    [InlineData("POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=11", "08", "상품수량 오류")]
    [InlineData("POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=0", "08", "상품수량 오류")]
    [InlineData("POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=x", "08", "상품수량 오류")]
    [InlineData("POC_ID=TESTPOC01&GOODS_ID=0000000101", "08", "상품수량 오류")]
    [InlineData("POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=1&TR_ID=A12345678901234567890123456789012345678901234567890", "11", "TR_ID 사이즈 오류")]
    public async Task Create_checks_answer_their_codes_with_only_code_and_message(string form, string code, string message)
    {
        var response = await StandIn.PostAsync("coufunCreate.do", form);

        Assert.Equal($"{Declaration}<COUFUNCREATE>\n  <RESULT_CODE>{code}</RESULT_CODE>\n  <RESULT_MSG>{message}</RESULT_MSG>\n</COUFUNCREATE>\n", await CoufunStandInHost.TextAsync(response));
    }

    [Fact]
    public async Task RESERVE_fields_over_200_bytes_answer_24_and_25_counting_Hangul_as_two_bytes()
    {
        var hangul101 = string.Concat(Enumerable.Repeat("%B0%A1", 101)); // "가" × 101 = 202 EUC-KR bytes
        var r1 = await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=1&TR_ID={Trid()}&RESERVE1={hangul101}");
        var r2 = await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=1&TR_ID={Trid()}&RESERVE2={new string('x', 201)}");

        Assert.Contains("<RESULT_CODE>24</RESULT_CODE>", await CoufunStandInHost.TextAsync(r1));
        Assert.Contains("<RESULT_CODE>25</RESULT_CODE>", await CoufunStandInHost.TextAsync(r2));
    }

    [Fact]
    public async Task Status_and_cancel_follow_the_coupon_through_use_and_cancellation()
    {
        var created = XDocument.Parse(await CoufunStandInHost.TextAsync(await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&CREATE_CNT=2&TR_ID={Trid()}")));
        var barcodes = created.Root!.Elements("ORDER_INFO").Select(e => e.Element("BARCODE_NUM")!.Value).ToList();

        var status = XDocument.Parse(await CoufunStandInHost.TextAsync(await StandIn.PostAsync("coufunPartAmountStatus.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&BARCODE_NUM={barcodes[0]}"))).Root!;
        Assert.Equal(["RESULT_CODE", "RESULT_MSG", "COUPON_TYPE", "ORDER_DATE", "STATUS", "RECEIVER_MOBILE", "BARCODE_NUM", "VALID_END_DATE", "EXCHANGE_DATE", "CANCEL_DATE"],
            status.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(("BARCODE", "000"), (status.Element("COUPON_TYPE")!.Value, status.Element("STATUS")!.Value));

        (await StandIn.CouponEventAsync("use", barcodes[0])).EnsureSuccessStatusCode();
        var usedCancel = await StandIn.PostAsync("coufunPartCancel.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&BARCODE_NUM={barcodes[0]}");
        Assert.Equal(Declaration + "<COUFUNCANCEL>\n  <RESULT_CODE>17</RESULT_CODE>\n  <RESULT_MSG>사용된 쿠폰</RESULT_MSG>\n</COUFUNCANCEL>\n", await CoufunStandInHost.TextAsync(usedCancel));

        var cancel = await StandIn.PostAsync("coufunPartCancel.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&BARCODE_NUM={barcodes[1]}");
        Assert.Equal($"{Declaration}<COUFUNCANCEL>\n  <RESULT_CODE>00</RESULT_CODE>\n  <RESULT_MSG>SUCCESS</RESULT_MSG>\n  <BARCODE_NUM>{barcodes[1]}</BARCODE_NUM>\n</COUFUNCANCEL>\n", await CoufunStandInHost.TextAsync(cancel));
        var again = await StandIn.PostAsync("coufunPartCancel.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&BARCODE_NUM={barcodes[1]}");
        Assert.Contains("<RESULT_CODE>18</RESULT_CODE>", await CoufunStandInHost.TextAsync(again));
        var cancelled = XDocument.Parse(await CoufunStandInHost.TextAsync(await StandIn.PostAsync("coufunPartAmountStatus.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000101&BARCODE_NUM={barcodes[1]}"))).Root!;
        Assert.Equal("100", cancelled.Element("STATUS")!.Value);
        Assert.Matches("^[0-9]{14}$", cancelled.Element("CANCEL_DATE")!.Value);

        var wrongGoods = await StandIn.PostAsync("coufunPartAmountStatus.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000102&BARCODE_NUM={barcodes[1]}");
        Assert.Contains("<RESULT_CODE>16</RESULT_CODE>", await CoufunStandInHost.TextAsync(wrongGoods));
    }

    [Fact]
    public async Task An_amount_coupon_reports_balances_and_an_expired_coupon_cannot_be_cancelled()
    {
        var created = XDocument.Parse(await CoufunStandInHost.TextAsync(await StandIn.PostAsync("coufunCreate.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000202&CREATE_CNT=2&TR_ID={Trid()}")));
        var barcodes = created.Root!.Elements("ORDER_INFO").Select(e => e.Element("BARCODE_NUM")!.Value).ToList();

        (await StandIn.CouponEventAsync("use", barcodes[0], 18000)).EnsureSuccessStatusCode();
        var status = XDocument.Parse(await CoufunStandInHost.TextAsync(await StandIn.PostAsync("coufunPartAmountStatus.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000202&BARCODE_NUM={barcodes[0]}"))).Root!;
        Assert.Equal(("AMOUNT", "000", "30000", "12000"), (status.Element("COUPON_TYPE")!.Value, status.Element("STATUS")!.Value, status.Element("TOTAL_AMOUNT")!.Value, status.Element("REMAIN_AMOUNT")!.Value));

        (await StandIn.CouponEventAsync("expire", barcodes[1])).EnsureSuccessStatusCode();
        var cancel = await StandIn.PostAsync("coufunPartCancel.do", $"POC_ID=TESTPOC01&GOODS_ID=0000000202&BARCODE_NUM={barcodes[1]}");
        Assert.Contains("<RESULT_CODE>04</RESULT_CODE>", await CoufunStandInHost.TextAsync(cancel));
    }

    [Fact]
    public async Task The_product_list_has_a_realistic_catalog_with_images_of_the_declared_size()
    {
        var response = await StandIn.Client.GetAsync("b2c_api/coufunProduct.do?POC_ID=TESTPOC01");
        var root = XDocument.Parse(await CoufunStandInHost.TextAsync(response)).Root!;

        var products = root.Elements("PRODUCT_INFO").ToList();
        Assert.Equal(products.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Element("LIST_CNT")!.Value);
        Assert.True(products.Count >= 50);
        Assert.Contains(products, p => p.Element("GOODS_NAME")!.Value.Contains('똠'));
        Assert.Contains(products, p => p.Element("VALID_END_TYPE")!.Value == "E");
        Assert.True(products.Select(p => p.Element("EXC_BRANCH")!.Value).Distinct().Count() >= 8);
        var image = await StandIn.Client.GetAsync(new Uri(products[0].Element("IMAGE_PATH_M")!.Value));
        var bytes = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType!.MediaType);
        using var decoded = SkiaSharp.SKBitmap.Decode(bytes);
        Assert.Equal((250, 250), (decoded.Width, decoded.Height));
    }

    [Theory]
    [InlineData("coufunCreate.do")]
    [InlineData("coufunPartAmountStatus.do")]
    [InlineData("coufunPartCancel.do")]
    public async Task GET_is_refused_on_the_POST_only_endpoints(string endpoint)
    {
        var response = await StandIn.Client.GetAsync($"b2c_api/{endpoint}?POC_ID=TESTPOC01");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
