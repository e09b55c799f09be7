using System.Net;
using System.Text;
using CouponDesk.Security;
using CouponDesk.Tests.Campaigns;

namespace CouponDesk.Tests.Recipients;

/// <summary>
/// Hostile and broken uploads: each is a 4xx problem with a Korean message, and nothing at all is stored — no list,
/// no row, no change to the campaign.
/// </summary>
public sealed class HostileUploadTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    public static TheoryData<string, string, HttpStatusCode, string> RefusedFiles => new()
    {
        { "empty body", "a.csv", HttpStatusCode.BadRequest, "upload_empty" },
        { "header only xlsx", "a.xlsx", HttpStatusCode.BadRequest, "upload_empty" },
        { "blank csv", "a.csv", HttpStatusCode.BadRequest, "upload_empty" },
        { "20001 rows", "a.csv", HttpStatusCode.BadRequest, "upload_too_many_rows" },
        { "zip bomb", "a.xlsx", HttpStatusCode.BadRequest, "upload_unreadable" },
        { "csv named xlsx", "a.xlsx", HttpStatusCode.BadRequest, "upload_content_mismatch" },
        { "zip that is no workbook", "a.xlsx", HttpStatusCode.BadRequest, "upload_content_mismatch" },
        { "corrupt xlsx", "a.xlsx", HttpStatusCode.BadRequest, "upload_unreadable" },
        { "malformed sheet xml", "a.xlsx", HttpStatusCode.BadRequest, "upload_unreadable" },
        { "legacy xls", "a.xls", HttpStatusCode.BadRequest, "upload_xls_not_supported" },
        { "mixed encodings", "a.csv", HttpStatusCode.BadRequest, "upload_mixed_encoding" },
        { "binary named csv", "a.csv", HttpStatusCode.BadRequest, "upload_content_mismatch" },
        { "unrecognised header", "a.csv", HttpStatusCode.BadRequest, "upload_no_phone_column" },
        { "no extension", "recipients", HttpStatusCode.BadRequest, "upload_file_name_required" },
        { "image", "a.png", HttpStatusCode.BadRequest, "upload_unsupported_type" },
        { "cell in column XFD and row 1048576", "a.xlsx", HttpStatusCode.BadRequest, "upload_sheet_too_large" },
        { "dimension claiming the whole grid", "a.xlsx", HttpStatusCode.BadRequest, "upload_sheet_too_large" },
        { "sheet with a DTD", "a.xlsx", HttpStatusCode.BadRequest, "upload_unreadable" },
        { "unsupported zip compression", "a.xlsx", HttpStatusCode.BadRequest, "upload_unreadable" },
        { "one byte over 10 MB", "a.csv", HttpStatusCode.RequestEntityTooLarge, "upload_too_large" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task Refused_files_store_nothing(string kind, string fileName, HttpStatusCode status, string code)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);

        var problem = await CampaignApi.ProblemAsync(await UploadAsync(client, campaignId, Build(kind), fileName), status, code);

        Assert.DoesNotContain("   at ", problem.ToString());
        await AssertNothingStoredAsync(campaignId);
    }

    [Fact]
    public async Task Formulas_and_control_characters_in_cells_are_row_errors_not_values()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var sheet = """
            <row r="1"><c r="A1" t="inlineStr"><is><t>휴대폰번호</t></is></c><c r="B1" t="inlineStr"><is><t>이름</t></is></c></row>
            <row r="2"><c r="A2" t="str"><f>CONCATENATE("010","00000001")</f><v>01000000001</v></c></row>
            <row r="3"><c r="A3" t="str"><f>HYPERLINK("http://x.invalid","x")</f><v>x</v></c></row>
            <row r="4"><c r="A4" t="inlineStr"><is><t>010-0000-0004_x0007_</t></is></c></row>
            <row r="5"><c r="A5" t="inlineStr"><is><t>010-0000-0005</t></is></c><c r="B5" t="inlineStr"><is><t>홍_x001B_[31m동</t></is></c></row>
            <row r="6"><c r="A6" t="inlineStr"><is><t>=010-0000-0006</t></is></c></row>
            """;

        var staged = await CampaignApi.UploadAsync(client, campaignId, TestFiles.RawXlsx(sheet), "formulas.xlsx");

        // A formula cell counts as the value Excel shows (its cached result); nothing is evaluated.
        Assert.Equal(1, staged.GetProperty("validCount").GetInt32());
        var errors = staged.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal(
            [(3, "휴대폰번호", "INVALID_CHARACTERS"), (4, "휴대폰번호", "INVALID_CHARACTERS"), (5, "이름", "INVALID_CHARACTERS"), (6, "휴대폰번호", "INVALID_CHARACTERS")],
            errors);
        Assert.DoesNotContain("\u0007", staged.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001B", staged.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_column_in_another_place_is_found_by_its_header()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var csv = TestFiles.Csv("이름,부서,전화번호\n홍길동,영업,010-0000-0401\n김철수,개발,010-0000-0402\n", CodePages.Get(949));

        var staged = await CampaignApi.UploadAsync(client, campaignId, csv, "list.csv");

        Assert.Equal(2, staged.GetProperty("validCount").GetInt32());
        Assert.Equal("010-****-0401", staged.GetProperty("preview")[0].GetProperty("phone").GetString());
        Assert.Equal("홍*동", staged.GetProperty("preview")[0].GetProperty("name").GetString());
    }

    // Issue 14: a control character in a CSV row is that row's error wherever it stands — in the first 512 bytes (once
    // the whole file was refused as "not CSV") or after them; in the phone or in the name column.
    [Theory]
    [InlineData(6, "휴대폰번호")]
    [InlineData(2, "이름")]
    [InlineData(40, "휴대폰번호")]
    [InlineData(40, "이름")]
    public async Task A_control_character_in_a_csv_row_is_that_rows_error_wherever_it_stands(int badRow, string column)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);
        var lines = new List<string> { "휴대폰번호,이름" };
        for (var row = 2; row <= 41; row++)
        {
            var phone = $"010-0000-{1200 + row:D4}";
            const string name = "홍길동";
            lines.Add(row != badRow ? $"{phone},{name}" : column == "이름" ? $"{phone},홍\u0000길동" : $"010-0000-\u0000{1200 + row:D4},{name}");
        }

        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        var nul = Array.IndexOf(bytes, (byte)0);
        Assert.Equal(badRow < 10, nul < 512);

        var staged = await CampaignApi.UploadAsync(client, campaignId, bytes, "list.csv");

        Assert.Equal(39, staged.GetProperty("validCount").GetInt32());
        var error = Assert.Single(staged.GetProperty("errors").EnumerateArray());
        Assert.Equal(badRow, error.GetProperty("row").GetInt32());
        Assert.Equal(column, error.GetProperty("column").GetString());
        Assert.Equal("INVALID_CHARACTERS", error.GetProperty("code").GetString());
        Assert.DoesNotContain("\u0000", staged.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_name_with_a_bidi_override_is_refused_and_nothing_is_stored()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);

        var problem = await CampaignApi.ProblemAsync(
            await UploadAsync(client, campaignId, Encoding.UTF8.GetBytes("010-0000-0001\n"), "명단\u202Exslx.csv"), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(["파일 이름에 사용할 수 없는 문자(글자 방향 제어 문자, U+202E)가 있습니다. 지우고 다시 입력해 주세요."], CampaignApi.FieldErrors(problem, "fileName"));
        await AssertNothingStoredAsync(campaignId);
    }

    [Fact]
    public async Task Exactly_20000_rows_are_accepted()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client);

        var staged = await CampaignApi.UploadAsync(client, campaignId, Build("20000 rows"), "a.csv");

        Assert.Equal(20_000, staged.GetProperty("validCount").GetInt32());
    }

    private static byte[] Build(string kind) => kind switch
    {
        "empty body" => [],
        "cell in column XFD and row 1048576" => TestFiles.RawXlsx("""<row r="1"><c r="A1" t="inlineStr"><is><t>010-0000-0001</t></is></c><c r="XFD1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row>"""),
        "dimension claiming the whole grid" => DimensionXlsx(),
        "sheet with a DTD" => DtdXlsx(),
        "unsupported zip compression" => WithCompressionMethod(TestFiles.RawXlsx("<row/>"), 14),
        "one byte over 10 MB" => Enumerable.Repeat((byte)'1', (10 * 1024 * 1024) + 1).ToArray(),
        "header only xlsx" => TestFiles.RawXlsx("""<row r="1"><c r="A1" t="inlineStr"><is><t>휴대폰번호</t></is></c></row>"""),
        "blank csv" => Encoding.UTF8.GetBytes("\r\n ,\r\n\r\n"),
        "20000 rows" => Encoding.UTF8.GetBytes("phone\n" + string.Join('\n', Enumerable.Range(0, 20_000).Select(i => TestFiles.Phone(i)))),
        "20001 rows" => Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 20_001).Select(i => TestFiles.Phone(i)))),
        "zip bomb" => TestFiles.ZipBomb(200L * 1024 * 1024),
        "csv named xlsx" => Encoding.UTF8.GetBytes("휴대폰번호\n010-0000-0001\n"),
        "zip that is no workbook" => ZipWith("word/document.xml"),
        "corrupt xlsx" => [.. TestFiles.RawXlsx("<row/>")[..200]],
        "malformed sheet xml" => TestFiles.RawXlsx("""<row r="1"><c r="A1" t="inlineStr"><is><t>010-0000-0001</t></is></c></row><row r="2"><c"""),
        "legacy xls" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
        "mixed encodings" => [.. Encoding.UTF8.GetBytes("휴대폰번호,이름\n010-0000-0001,홍길동\n"), .. CodePages.Get(949).GetBytes("010-0000-0002,김철수\n")],
        "binary named csv" => [0x01, 0x00, 0x02, 0x00, 0x30, 0x31],
        "unrecognised header" => Encoding.UTF8.GetBytes("연락처\n010-0000-0001\n"),
        "no extension" or "image" => Encoding.UTF8.GetBytes("010-0000-0001"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A sheet whose dimension claims A1:XFD1048576 around one real cell.</summary>
    private static byte[] DimensionXlsx() => Patch(TestFiles.RawXlsx("""<row r="1"><c r="A1" t="inlineStr"><is><t>010-0000-0001</t></is></c></row>"""), "<sheetData>", """<dimension ref="A1:XFD1048576"/><sheetData>""");

    /// <summary>An entity-expansion ("billion laughs") sheet: DTDs are refused outright.</summary>
    private static byte[] DtdXlsx() => Patch(TestFiles.RawXlsx("<row/>"), "<worksheet", """<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet""");

    private static byte[] Patch(byte[] xlsx, string find, string replace)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
            {
                text = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(text.Replace(find, replace, StringComparison.Ordinal));
        }

        return stream.ToArray();
    }

    /// <summary>Rewrites every entry's compression method (local and central headers), e.g. to LZMA (14).</summary>
    private static byte[] WithCompressionMethod(byte[] zip, ushort method)
    {
        var copy = (byte[])zip.Clone();
        for (var i = 0; i + 4 < copy.Length; i++)
        {
            if (copy[i] == 0x50 && copy[i + 1] == 0x4B && copy[i + 2] == 0x03 && copy[i + 3] == 0x04)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(i + 8), method);
            }
            else if (copy[i] == 0x50 && copy[i + 1] == 0x4B && copy[i + 2] == 0x01 && copy[i + 3] == 0x02)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(i + 10), method);
            }
        }

        return copy;
    }

    private static byte[] ZipWith(string entryName)
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
            writer.Write("<document/>");
        }

        return stream.ToArray();
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, long campaignId, byte[] file, string fileName) =>
        UploadAsync(client, campaignId, new ByteArrayContent(file), fileName);

    internal static Task<HttpResponseMessage> UploadAsync(HttpClient client, long campaignId, HttpContent content, string fileName) =>
        client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists?fileName={Uri.EscapeDataString(fileName)}", content);

    private async Task AssertNothingStoredAsync(long campaignId)
    {
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM recipient_lists WHERE campaign_id = @campaignId", new { campaignId }));
        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT recipient_count FROM campaigns WHERE id = @campaignId", new { campaignId }));
        Assert.Null(await factory.ScalarAsync<long?>("SELECT recipient_list_id FROM campaigns WHERE id = @campaignId", new { campaignId }));
    }
}
