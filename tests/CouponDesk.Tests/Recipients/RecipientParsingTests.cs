using System.Text;
using CouponDesk.Features.Recipients;

namespace CouponDesk.Tests.Recipients;

public sealed class RecipientParsingTests
{
    private static readonly Encoding Cp949 = CodePages.Get(949);

    private static ParsedRecipientList ParseCsv(string text, int maxRows = 20_000) =>
        new RecipientListBuilder(maxRows).Build(CsvRowReader.Read(text));

    [Fact]
    public void Utf8_with_and_without_bom_and_cp949_all_read_the_same()
    {
        const string text = "휴대폰번호,이름\n010-0000-0001,홍길동\n010-0000-0002,김똠순\n";

        foreach (var bytes in new[] { TestFiles.Csv(text, Encoding.UTF8, bom: true), TestFiles.Csv(text, new UTF8Encoding(false)), TestFiles.Csv(text, Cp949) })
        {
            var decoded = CsvTextDecoder.Decode(bytes);
            var list = ParseCsv(decoded);
            Assert.Equal(["01000000001", "01000000002"], list.Valid.Select(v => v.Phone));
            Assert.Equal(["홍길동", "김똠순"], list.Valid.Select(v => v.Name));
        }
    }

    [Fact]
    public void Lines_in_utf8_and_cp949_mixed_are_refused()
    {
        byte[] mixed = [.. Encoding.UTF8.GetBytes("휴대폰번호,이름\n010-0000-0001,홍길동\n"), .. Cp949.GetBytes("010-0000-0002,김철수\n")];

        var error = Assert.Throws<RecipientUploadException>(() => CsvTextDecoder.Decode(mixed));
        Assert.Equal("upload_mixed_encoding", error.Problem.Code);
    }

    [Fact]
    public void A_utf8_bom_followed_by_cp949_bytes_is_refused_as_mixed()
    {
        var bytes = TestFiles.Csv("010-0000-0001,홍길동\n", Cp949).Prepend((byte)0xBF).Prepend((byte)0xBB).Prepend((byte)0xEF).ToArray();

        Assert.Equal("upload_mixed_encoding", Assert.Throws<RecipientUploadException>(() => CsvTextDecoder.Decode(bytes)).Problem.Code);
    }

    [Fact]
    public void Utf16_is_refused_with_the_encodings_we_read()
    {
        var bytes = TestFiles.Csv("010-0000-0001\n", Encoding.Unicode, bom: true);

        var error = Assert.Throws<RecipientUploadException>(() => CsvTextDecoder.Decode(bytes));
        Assert.Equal("upload_unknown_encoding", error.Problem.Code);
        Assert.Contains("CP949", error.Problem.Detail);
    }

    [Fact]
    public void Without_a_header_column_a_is_the_phone_and_row_numbers_count_blank_rows()
    {
        var list = ParseCsv("010-0000-0001\n\n01000000002\n,\nabc-def\n010-0000-0001\n");

        Assert.Equal([1, 3], list.Valid.Select(v => v.SourceRow));
        Assert.Collection(
            list.Errors,
            e => Assert.Equal((5, RecipientErrorCode.InvalidCharacters), (e.SourceRow, e.Code)),
            e => Assert.Equal((6, RecipientErrorCode.DuplicateInFile), (e.SourceRow, e.Code)));
        Assert.Equal(1, list.DuplicateCount);
        Assert.Equal(1, list.ErrorCount);
        Assert.Equal(4, list.Total);
    }

    [Fact]
    public void A_recognised_header_finds_the_phone_column_anywhere()
    {
        var list = ParseCsv("이름,메모,수신번호\n홍길동,VIP,010-0000-0001\n김철수,,+82 10-0000-0002\n");

        Assert.Equal(["01000000001", "01000000002"], list.Valid.Select(v => v.Phone));
        Assert.Equal(["홍길동", "김철수"], list.Valid.Select(v => v.Name));
        Assert.Equal([2, 3], list.Valid.Select(v => v.SourceRow));
    }

    [Theory]
    [InlineData("연락처,이름\n010-0000-0001,홍길동\n")]
    [InlineData("이름\n홍길동\n")]
    [InlineData(",010-0000-0001\n,010-0000-0002\n")]
    public void No_phone_column_refuses_the_file(string csv) =>
        Assert.Equal("upload_no_phone_column", Assert.Throws<RecipientUploadException>(() => ParseCsv(csv)).Problem.Code);

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("휴대폰번호\n")]
    [InlineData(",,\n , \n")]
    public void A_file_without_data_rows_is_empty(string csv) =>
        Assert.Equal("upload_empty", Assert.Throws<RecipientUploadException>(() => ParseCsv(csv)).Problem.Code);

    [Fact]
    public void The_row_limit_counts_data_rows_not_the_header()
    {
        var exactly = "phone\n" + string.Join('\n', Enumerable.Range(0, 50).Select(i => TestFiles.Phone(i)));
        Assert.Equal(50, ParseCsv(exactly, maxRows: 50).Valid.Count);

        var error = Assert.Throws<RecipientUploadException>(() => ParseCsv(exactly + "\n" + TestFiles.Phone(50), maxRows: 50));
        Assert.Equal("upload_too_many_rows", error.Problem.Code);
    }

    [Fact]
    public void Names_are_checked_and_masked_in_errors()
    {
        var tooLong = new string('가', 51);
        // Issue 14: a bidi override (U+202E) or an invisible format character is refused in a name like a control character.
        var list = ParseCsv($"휴대폰번호,이름\n010-0000-0001,{tooLong}\n010-0000-0002,홍\u0000동\n010-0000-0003,\n010-0000-0004,홍\u202E동\n010-0000-0005,홍\u200B동\n");

        Assert.Equal(["01000000003"], list.Valid.Select(v => v.Phone));
        Assert.Null(list.Valid[0].Name);
        Assert.Equal(
            [RecipientErrorCode.NameTooLong, RecipientErrorCode.InvalidCharacters, RecipientErrorCode.InvalidCharacters, RecipientErrorCode.InvalidCharacters],
            list.Errors.Select(e => e.Code));
        Assert.All(list.Errors, e => Assert.Equal("이름", e.Column));
        Assert.DoesNotContain(list.Errors, e => e.InputMasked.Contains("가가가", StringComparison.Ordinal));
    }

    [Fact]
    public void Error_inputs_show_only_the_last_characters()
    {
        Assert.Equal("*******0-12", RecipientListBuilder.MaskInput("010-0000-12"));
        Assert.DoesNotContain("=", RecipientListBuilder.MaskInput("=HYPERLINK(\"http://x\")"));
        Assert.Equal("(빈 값)", RecipientListBuilder.MaskInput("  "));
        Assert.Equal("**?1", RecipientListBuilder.MaskInput("ab\u00071"));
    }

    [Fact]
    public void Quick_entry_takes_one_number_per_line_and_marks_duplicates()
    {
        var list = new RecipientListBuilder(100).BuildQuickEntry(["010-0000-0001", "", "01000000001", "0100000", "010 0000 0002"]);

        Assert.Equal(["01000000001", "01000000002"], list.Valid.Select(v => v.Phone));
        Assert.Equal([(3, RecipientErrorCode.DuplicateInFile), (4, RecipientErrorCode.InvalidPhoneFormat)], list.Errors.Select(e => (e.SourceRow, e.Code)));
    }

    [Fact]
    public void Xlsx_rows_read_numbers_that_lost_their_leading_zero()
    {
        var sheet = """
            <row r="1"><c r="A1" t="inlineStr"><is><t>휴대폰번호</t></is></c></row>
            <row r="2"><c r="A2"><v>1000000001</v></c></row>
            <row r="4"><c r="A4" t="inlineStr"><is><t>010-0000-0002</t></is></c></row>
            """;
        using var stream = new MemoryStream(TestFiles.RawXlsx(sheet));

        var list = new RecipientListBuilder(10).Build(XlsxRowReader.Read(stream));

        Assert.Equal(["01000000001", "01000000002"], list.Valid.Select(v => v.Phone));
        Assert.Equal([2, 4], list.Valid.Select(v => v.SourceRow));
    }

    [Theory]
    [InlineData("list.xls", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "upload_xls_not_supported")]
    [InlineData("list.xlsx", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "upload_xls_not_supported")]
    [InlineData("list.xlsx", new byte[] { 0x30, 0x31, 0x30, 0x2C }, "upload_content_mismatch")]
    [InlineData("list.csv", new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "upload_content_mismatch")]
    [InlineData("list.pdf", new byte[] { 0x25, 0x50, 0x44, 0x46 }, "upload_unsupported_type")]
    [InlineData("list", new byte[] { 0x30 }, "upload_file_name_required")]
    public void The_format_is_decided_by_name_and_content_together(string fileName, byte[] head, string code) =>
        Assert.Equal(code, Assert.Throws<RecipientUploadException>(() => UploadFormat.Detect(fileName, head)).Problem.Code);
}
