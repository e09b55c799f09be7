using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CouponDesk.Features.Rendering;
using CouponDesk.Security;
using CouponDesk.TestSupport;
using CouponDesk.TestSupport.Rendering;

namespace CouponDesk.Tests.Features.Rendering;

public sealed class PreviewEndpointTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    private static readonly byte[] Product = SampleArtwork.CoffeeProduct();
    private static readonly byte[] Banner = SampleArtwork.EventBanner();

    [Theory]
    [InlineData(true, 1080)]
    [InlineData(false, 840)]
    public async Task An_operator_gets_the_real_layout_as_a_jpeg_with_the_sample_barcode(bool withBanner, int height)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var response = await client.PostAsync(PreviewEndpoint.Route, Form(banner: withBanner ? Banner : null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var jpeg = await response.Content.ReadAsByteArrayAsync();
        Assert.InRange(jpeg.Length, 1, JpegEncoding.MaxBytes);
        using var image = JpegReader.Decode(jpeg);
        Assert.Equal((720, height), (image.Width, image.Height));
        Assert.Equal(CouponText.PreviewNumber, JpegReader.ReadBarcode(jpeg));
    }

    [Fact]
    public async Task An_amount_coupon_without_a_product_image_gets_the_placeholder()
    {
        var client = await factory.CreateClientAsync(Roles.Admin);

        var response = await client.PostAsync(PreviewEndpoint.Route, Form(defaultProduct: false, type: "AMOUNT", amount: "30000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Viewers_and_anonymous_callers_are_refused()
    {
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(PreviewEndpoint.Route, Form())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsync(PreviewEndpoint.Route, Form())).StatusCode);
    }

    [Fact]
    public async Task Field_errors_come_back_together_in_korean()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var response = await client.PostAsync(PreviewEndpoint.Route, Form(name: "", validUntil: "2027/01/24", type: "COUPON", amount: "-5"));

        var errors = await ReadErrors(response);
        Assert.Equal(["amount", "couponType", "validUntil"], errors.Keys.Order());
    }

    [Fact]
    public async Task Characters_the_font_cannot_draw_are_named_in_the_problem()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var response = await client.PostAsync(PreviewEndpoint.Route, Form(name: "선물 \U0001F381 세트"));

        var errors = await ReadErrors(response);
        Assert.Contains("\U0001F381", errors["productName"]);
    }

    public static TheoryData<string, byte[]> HostileImages() => new()
    {
        { "not an image", Encoding.UTF8.GetBytes("<script>alert(1)</script>") },
        { "truncated header", Product[..40] },
        { "truncated body", Product[..(Product.Length / 2)] },
        { "bomb: a tiny PNG claiming 60000 x 60000 px", PngHeaderClaiming(60000, 60000) },
        { "a BMP (not one of the allowed formats)", Bmp2x2() },
        { "empty file", [] },
    };

    [Theory]
    [MemberData(nameof(HostileImages))]
    public async Task Unusable_or_hostile_images_are_field_errors_not_crashes(string what, byte[] image)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var response = await client.PostAsync(PreviewEndpoint.Route, Form(banner: image));

        var errors = await ReadErrors(response);
        Assert.True(errors.ContainsKey("bannerImage"), what);
    }

    [Fact]
    public async Task A_file_over_the_upload_limit_is_refused_before_decoding()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var big = new byte[(5 * 1024 * 1024) + 1];
        Product.CopyTo(big, 0);

        var response = await client.PostAsync(PreviewEndpoint.Route, Form(product: big));

        var errors = await ReadErrors(response);
        Assert.Contains("5MB", errors["productImage"]);
    }

    [Fact]
    public async Task A_body_over_the_request_limit_is_413()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var form = Form();
        form.Add(new ByteArrayContent(new byte[11 * 1024 * 1024]), "padding", "padding.bin");

        var response = await client.PostAsync(PreviewEndpoint.Route, form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (await ReadProblem(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Json_is_an_unsupported_media_type()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);

        var response = await client.PostAsync(PreviewEndpoint.Route, new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("multipart", (await ReadProblem(response)).GetProperty("detail").GetString());
    }

    private static MultipartFormDataContent Form(
        string name = "카페 아메리카노 T", string brand = "스타벅스", string validUntil = "2027-01-24", string type = "BARCODE",
        string? amount = null, byte[]? product = null, byte[]? banner = null, bool defaultProduct = true)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(name), "productName" },
            { new StringContent(brand), "brand" },
            { new StringContent(validUntil), "validUntil" },
            { new StringContent(type), "couponType" },
        };
        if (amount is not null)
        {
            form.Add(new StringContent(amount), "amount");
        }

        if ((product ?? (defaultProduct ? Product : null)) is { } productBytes)
        {
            form.Add(File(productBytes), "productImage", "product.jpg");
        }

        if (banner is not null)
        {
            form.Add(File(banner), "bannerImage", "banner.png");
        }

        return form;
    }

    private static ByteArrayContent File(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task<Dictionary<string, string>> ReadErrors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ReadProblem(response);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        return problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }

    private static async Task<JsonElement> ReadProblem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>A PNG signature and IHDR claiming huge dimensions, with no pixel data: must be refused from the header.</summary>
    private static byte[] PngHeaderClaiming(int width, int height)
    {
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        byte[] chunk = [0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', .. ihdr];
        var crc = Crc32(chunk.AsSpan(4));
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. chunk, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    /// <summary>A valid 2 × 2 24-bit BMP.</summary>
    private static byte[] Bmp2x2()
    {
        byte[] pixels = [255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 0]; // two rows of 2 px, padded to 8 bytes
        var file = new byte[54 + pixels.Length];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), 2);
        file[26] = 1;
        file[28] = 24;
        pixels.CopyTo(file, 54);
        return file;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
