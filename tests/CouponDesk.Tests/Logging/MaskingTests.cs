using CouponDesk.Shared.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace CouponDesk.Tests.Logging;

/// <summary>Test data uses the 010-0000-xxxx .. 010-0999-xxxx block reserved for tests and demos.</summary>
public sealed class MaskingTests
{
    [Theory]
    [InlineData("010-0123-4567", "010-****-4567")]
    [InlineData("01001234567", "010-****-4567")]
    [InlineData("010 0123 4567", "010-****-4567")]
    [InlineData("+82 10-0123-4567", "010-****-4567")]
    [InlineData("+821001234567", "010-****-4567")]
    [InlineData("recipient=01009991234&x=1", "recipient=010-****-1234&x=1")]
    public void Mobile_numbers_are_masked_in_every_usual_spelling(string input, string expected) =>
        Assert.Equal(expected, SensitiveDataMasker.Mask(input));

    [Theory]
    [InlineData("900000000001", "**** **** 0001")]
    [InlineData("coupon 1234 5678 9012 3456 used", "coupon **** **** **** 3456 used")]
    [InlineData("1234567890", "** **** 7890")]
    public void Coupon_numbers_are_masked_but_the_last_four(string input, string expected) =>
        Assert.Equal(expected, SensitiveDataMasker.Mask(input));

    [Theory]
    [InlineData("campaign 42 has 20000 recipients")]
    [InlineData("2026-11-25T13:22:56.1234567Z")]
    [InlineData("CLIENT_KEY CD0000004200000001R1")]
    public void Ordinary_text_is_left_alone(string input) => Assert.Equal(input, SensitiveDataMasker.Mask(input));

    // Issue 14: long digit runs that are not personal data stay readable.
    [Theory]
    [InlineData("발송상세내역_C261207000042_202612071435.xlsx")]
    [InlineData("{\"file\":\"감사로그_202612071435.csv\"}")]
    [InlineData("stamp 20261207143512 and 20261207143512345")]
    [InlineData("sent 2026-12-07 14:35:12 KST")]
    [InlineData("ORDER_ID=261125000000421")]
    [InlineData("{\"orderId\":\"261125000000421\"}")]
    [InlineData("<ORDER_ID>T261125000000421</ORDER_ID>")]
    [InlineData("주문ID: 261125000000421")]
    [InlineData("TR_ID CDT261125000000000017")]
    [InlineData("TR_ID=26112500000000000017")]
    [InlineData("합계 1000000000원, 1500000000 원")]
    [InlineData("₩1000000000 / KRW 2500000000")]
    [InlineData("정가 48,000원 × 20,000건 = 960,000,000원")]
    public void Timestamps_order_ids_tr_ids_and_amounts_are_not_masked(string input) => Assert.Equal(input, SensitiveDataMasker.Mask(input));

    [Theory]
    [InlineData("coupon 202699999999 used", "coupon **** **** 9999 used")] // not a valid time: a coupon number
    [InlineData("coupon 900000000001 at 202612071435", "coupon **** **** 0001 at 202612071435")]
    [InlineData("010-0000-1234 on 202612071435", "010-****-1234 on 202612071435")]
    [InlineData("order 261125000000421", "order *** **** **** 0421")] // unlabelled: could be a coupon number
    public void Phones_and_coupon_numbers_next_to_them_are_still_masked(string input, string expected) =>
        Assert.Equal(expected, SensitiveDataMasker.Mask(input));

    [Fact]
    public void A_phone_in_the_message_template_is_masked()
    {
        var line = Log(logger => logger.Information("sending to 010-0123-4567"));
        Assert.DoesNotContain("0123-4567", line);
        Assert.Contains("010-****-4567", line);
    }

    [Fact]
    public void A_phone_in_a_property_is_masked()
    {
        var line = Log(logger => logger.Information("sending to {Phone}", "01001234567"));
        Assert.DoesNotContain("01001234567", line);
        Assert.Contains("010-****-4567", line);
    }

    [Fact]
    public void A_destructured_object_is_masked()
    {
        var line = Log(logger => logger.Information("recipient {@Recipient}", new { Phone = "010-0123-4567", Coupon = "900000000001" }));
        Assert.DoesNotContain("0123-4567", line);
        Assert.DoesNotContain("900000000001", line);
    }

    [Fact]
    public void An_exception_message_and_stack_are_masked()
    {
        var line = Log(logger => logger.Error(new InvalidOperationException("coupon 900000000001 for 010-0123-4567 failed"), "failed"));
        Assert.DoesNotContain("900000000001", line);
        Assert.DoesNotContain("0123-4567", line);
        Assert.Contains("**** **** 0001", line);
    }

    [Fact]
    public void Every_line_stays_valid_json_and_numbers_stay_numbers()
    {
        var line = Log(logger => logger.Information("version {Version} for {Phone} in {@Items}", 202611250002L, "010-0123-4567", new[] { "900000000001" }));

        var json = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal(202611250002L, json.GetProperty("Version").GetInt64());
        Assert.Equal("010-****-4567", json.GetProperty("Phone").GetString());
        Assert.Equal("**** **** 0001", json.GetProperty("Items")[0].GetString());
    }

    [Fact]
    public void Interpolated_text_in_the_template_is_masked()
    {
#pragma warning disable CA2254 // the point of the test: a careless interpolated message
        var line = Log(logger => logger.Information($"resend to {"01001234567"} failed"));
#pragma warning restore CA2254

        Assert.DoesNotContain("01001234567", line);
        Assert.Contains("010-****-4567", line);
    }

    private static string Log(Action<ILogger> write)
    {
        var output = new StringWriter();
        using (var logger = new LoggerConfiguration()
            .WriteTo.Sink(new FormattingSink(new MaskingTextFormatter(new RenderedCompactJsonFormatter()), output))
            .CreateLogger())
        {
            write(logger);
        }

        return output.ToString();
    }

    private sealed class FormattingSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => formatter.Format(logEvent, output);
    }
}
