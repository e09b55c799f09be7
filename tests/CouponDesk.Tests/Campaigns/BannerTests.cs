using System.Buffers.Binary;
using System.Net;
using System.Text;
using CouponDesk.Security;
using SkiaSharp;

namespace CouponDesk.Tests.Campaigns;

/// <summary>Banner upload: content sniffing, limits, re-encoding without metadata, and the hostile files.</summary>
public sealed class BannerTests(CampaignTestFactory factory) : IClassFixture<CampaignTestFactory>
{
    [Fact]
    public async Task A_png_banner_is_stored_as_a_plain_jpeg_and_served_back()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client);

        var stored = await CampaignApi.ReadAsync(await PutBannerAsync(client, id, Image(SKEncodedImageFormat.Png, 720, 240)), HttpStatusCode.OK);

        Assert.Equal((720, 240), (stored.GetProperty("width").GetInt32(), stored.GetProperty("height").GetInt32()));
        var served = await client.GetByteArrayAsync($"/api/campaigns/{id}/banner");
        Assert.Equal([0xFF, 0xD8, 0xFF], served[..3]);
        var campaign = await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.OK);
        Assert.True(campaign.GetProperty("useBanner").GetBoolean());
        Assert.True(campaign.GetProperty("hasBanner").GetBoolean());
        Assert.Contains(CouponDesk.Features.Audit.CampaignAuditEvents.BannerUploaded, factory.Audit.NamesFor(id));
    }

    [Fact]
    public async Task Metadata_does_not_survive_the_re_encoding()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client);
        var jpeg = Image(SKEncodedImageFormat.Jpeg, 800, 300);
        var exif = Encoding.ASCII.GetBytes("Exif\0\0GPS-37.5665N-126.9780E-SECRET-OWNER");
        var app1 = new byte[4 + exif.Length];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), (ushort)(exif.Length + 2));
        exif.CopyTo(app1, 4);
        byte[] withExif = [.. jpeg[..2], .. app1, .. jpeg[2..]];

        await CampaignApi.ReadAsync(await PutBannerAsync(client, id, withExif), HttpStatusCode.OK);

        var served = Encoding.Latin1.GetString(await client.GetByteArrayAsync($"/api/campaigns/{id}/banner"));
        Assert.DoesNotContain("SECRET", served, StringComparison.Ordinal);
        Assert.DoesNotContain("Exif", served, StringComparison.Ordinal);
    }

    public static TheoryData<string, HttpStatusCode, string> HostileBanners => new()
    {
        { "html renamed jpg", HttpStatusCode.BadRequest, "banner_not_image" },
        { "empty", HttpStatusCode.BadRequest, "banner_empty" },
        { "truncated jpeg", HttpStatusCode.BadRequest, "banner_unreadable" },
        { "decompression bomb png", HttpStatusCode.BadRequest, "banner_too_many_pixels" },
        { "jpeg with html appended", HttpStatusCode.BadRequest, "banner_polyglot" },
        { "png with zip appended", HttpStatusCode.BadRequest, "banner_polyglot" },
        { "too small", HttpStatusCode.BadRequest, "banner_too_small" },
        { "6 MB", HttpStatusCode.RequestEntityTooLarge, "banner_too_large" },
    };

    [Theory]
    [MemberData(nameof(HostileBanners))]
    public async Task Hostile_banners_are_refused_and_nothing_is_stored(string kind, HttpStatusCode status, string code)
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client);

        await CampaignApi.ProblemAsync(await PutBannerAsync(client, id, Build(kind)), status, code);

        Assert.Equal(0, await factory.ScalarAsync<int>("SELECT COUNT(*) FROM campaign_banners WHERE campaign_id = @id", new { id }));
        Assert.Null(await factory.ScalarAsync<long?>("SELECT banner_id FROM campaigns WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Only_a_draft_takes_a_banner()
    {
        var client = await factory.CreateClientAsync(Roles.Operator);
        var id = await CampaignApi.CreateAsync(client);
        await factory.ExecuteAsync("UPDATE campaigns SET status = 'SCHEDULED' WHERE id = @id", new { id });

        await CampaignApi.ProblemAsync(await PutBannerAsync(client, id, Image(SKEncodedImageFormat.Png, 720, 240)), HttpStatusCode.Conflict, "campaign_not_draft");
        var viewer = await factory.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutBannerAsync(viewer, id, Image(SKEncodedImageFormat.Png, 720, 240))).StatusCode);
    }

    private static Task<HttpResponseMessage> PutBannerAsync(HttpClient client, long id, byte[] data) =>
        client.PutAsync($"/api/campaigns/{id}/banner", new ByteArrayContent(data));

    private static byte[] Build(string kind) => kind switch
    {
        "html renamed jpg" => Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        "empty" => [],
        "truncated jpeg" => Image(SKEncodedImageFormat.Jpeg, 720, 240)[..2000],
        "decompression bomb png" => PngWithDimensions(Image(SKEncodedImageFormat.Png, 400, 200), 60_000, 60_000),
        "jpeg with html appended" => [.. Image(SKEncodedImageFormat.Jpeg, 720, 240), .. Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")],
        "png with zip appended" => [.. Image(SKEncodedImageFormat.Png, 720, 240), 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00],
        "too small" => Image(SKEncodedImageFormat.Png, 100, 50),
        "6 MB" => [.. Image(SKEncodedImageFormat.Jpeg, 720, 240), .. new byte[6 * 1024 * 1024]],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A noisy image (so it does not compress to nothing) in the given format.</summary>
    private static byte[] Image(SKEncodedImageFormat format, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        var random = new Random(7);
        for (var y = 0; y < height; y += 4)
        {
            for (var x = 0; x < width; x += 4)
            {
                var color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                for (var dy = 0; dy < 4 && y + dy < height; dy++)
                {
                    for (var dx = 0; dx < 4 && x + dx < width; dx++)
                    {
                        bitmap.SetPixel(x + dx, y + dy, color);
                    }
                }
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>Rewrites a PNG's IHDR to claim other dimensions (with a correct CRC), as a decompression bomb does.</summary>
    private static byte[] PngWithDimensions(byte[] png, int width, int height)
    {
        var copy = (byte[])png.Clone();
        // Signature (8) + length (4) + "IHDR" (4), then width and height.
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
