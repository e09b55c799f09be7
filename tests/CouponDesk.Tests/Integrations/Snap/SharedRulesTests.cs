using System.Text;
using CouponDesk.Features.Messages;
using CouponDesk.Shared.Imaging;
using CouponDesk.Shared.Snap;
using CouponDesk.Shared.Text;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Integrations.Snap;

/// <summary>The rules the back office and the stand-in share: EUC-KR measure, JPEG header probe, the code table, CLIENT_KEY.</summary>
public sealed class SharedRulesTests
{
    [Theory]
    [InlineData("ABC", 3)]
    [InlineData("가나다", 6)]
    [InlineData("가\nA", 4)]
    [InlineData("", 0)]
    public void Euc_kr_counts_hangul_as_two_bytes_and_ascii_as_one(string text, int bytes) =>
        Assert.Equal(bytes, EucKr.Measure(text).ByteCount);

    [Fact]
    public void Characters_outside_strict_euc_kr_are_each_named_once()
    {
        var measure = EucKr.Measure("똠 🎁 쿠폰 🎁");

        Assert.False(measure.IsEncodable);
        Assert.Equal([new Rune('똠'), Rune.GetRuneAt("🎁", 0)], measure.Unencodable);
        Assert.Equal("'똠' (U+B620), '🎁' (U+1F381)", measure.DescribeUnencodable());
    }

    [Fact]
    public void The_slot_where_dotnet_differs_follows_the_carriers_table()
    {
        // 0xB4D3 is U+B2D2 '닒' in KS X 1001 as the agent and handsets read it; .NET's 51949 writes U+B2D6 '닖' there.
        Assert.Equal(2, EucKr.Measure("\uB2D2").ByteCount);
        Assert.True(EucKr.Measure("\uB2D2").IsEncodable);

        var measure = EucKr.Measure("\uB2D2\uB2D6A\uF8E6\uB2D6");

        Assert.Equal(3, measure.ByteCount);
        Assert.Equal([new Rune('\uB2D6'), new Rune('\uF8E6')], measure.Unencodable);
    }

    [Fact]
    public void Strict_euc_kr_is_code_page_51949_not_cp949() =>
        Assert.Equal(51949, EucKr.Strict.CodePage);

    [Fact]
    public void The_probe_reads_pixel_size_and_tells_other_formats_and_broken_files_apart()
    {
        Assert.Equal(new JpegProbeResult(JpegProbeStatus.Ok, 720, 960), JpegProbe.Probe(TestJpeg.Create(720, 960)));
        Assert.Equal(JpegProbeStatus.NotJpeg, JpegProbe.Probe(TestJpeg.Png()).Status);
        Assert.Equal(JpegProbeStatus.Corrupt, JpegProbe.Probe([0xFF, 0xD8, 0xFF, 0xD9]).Status);
        Assert.Equal(JpegProbeStatus.Corrupt, JpegProbe.Probe(TestJpeg.Create().AsSpan(0, 30)).Status);
        Assert.Equal(JpegProbeStatus.NotJpeg, JpegProbe.Probe([]).Status);
    }

    [Theory]
    [InlineData("10000", SnapOutcome.Success)]
    [InlineData("00000", SnapOutcome.Failure)]
    [InlineData("29002", SnapOutcome.ResendRecommended)]
    [InlineData("49999", SnapOutcome.ResendRecommended)]
    [InlineData("65999", SnapOutcome.ResendRecommended)]
    [InlineData("54004", SnapOutcome.Failure)]
    [InlineData("90001", SnapOutcome.Failure)]
    [InlineData("", SnapOutcome.Failure)]
    [InlineData(null, SnapOutcome.Failure)]
    public void Codes_classify_as_the_manual_says(string? code, SnapOutcome expected) =>
        Assert.Equal(expected, SnapDoneCodes.Classify(code));

    [Fact]
    public void The_code_table_is_the_specs_table_and_its_resend_list_is_the_manuals()
    {
        Assert.Equal(480, SnapDoneCodes.All.Count);
        Assert.Equal("성공", SnapDoneCodes.Find("10000")!.MeaningKo);
        Assert.Equal(
            ["21400", "22004", "23004", "23005", "29002", "29017", "29019", "29032", "31112", "31118", "49xxx", "65999"],
            SnapDoneCodes.All.Values.Where(c => c.ResendRecommended).Select(c => c.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Client_keys_are_short_alphanumeric_and_lead_back_to_the_message()
    {
        var key = ClientKeys.For('P', new DateTime(2026, 11, 25), 1);

        Assert.Equal("CDP2611250000000001", key);
        Assert.Equal(1, ClientKeys.MessageIdOf(key));
        Assert.True(ClientKeys.For('P', new DateTime(2026, 11, 25), long.MaxValue).Length <= ClientKeys.MaxLength);
        Assert.Null(ClientKeys.MessageIdOf("20251017T142205-1234"));
    }

    [Fact]
    public void The_ddl_column_list_is_the_manuals_58_columns_in_order()
    {
        var columns = UmsTableDdl.ColumnNames.Split(", ");

        Assert.Equal(58, columns.Length);
        Assert.Equal("CLIENT_KEY", columns[0]);
        Assert.Equal("MMS_FILE_LIST", columns[15]);
        Assert.Equal("DONE_TELCO", columns[51]);
        Assert.Equal("ETC6", columns[57]);
        Assert.DoesNotContain("DEFAULT", UmsTableDdl.Columns, StringComparison.OrdinalIgnoreCase);
    }
}
