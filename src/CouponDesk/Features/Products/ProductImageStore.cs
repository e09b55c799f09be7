using CouponDesk.Integrations.Coufun;

namespace CouponDesk.Features.Products;

/// <summary>Image sizes of the catalog: S (list), M, B (the renderer's).</summary>
public enum ProductImageSize
{
    Small,
    Medium,
    Large,
}

/// <summary>
/// Product images cached on disk (<see cref="CatalogOptions.ImageDirectory"/>) as <c>{GOODS_ID}_{s|m|b}.jpg|.png</c>.
/// The renderer reads them through <see cref="GetBytesAsync"/> or <see cref="GetPath"/>; the catalog sync fills them.
/// Only JPEG and PNG bodies are kept, written atomically (temporary file, then rename).
/// </summary>
public sealed class ProductImageStore(CatalogOptions options, IHostEnvironment environment, IHttpClientFactory httpClients, ILogger<ProductImageStore> logger)
{
    public const string HttpClientName = "Coufun.Images";

    public string Directory { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.ImageDirectory));

    /// <summary>The cached file of a product image, or null when there is none (or the id is not a plain GOODS_ID).</summary>
    public string? GetPath(string goodsId, ProductImageSize size = ProductImageSize.Large)
    {
        if (!CoufunParsers.GoodsIdFormat().IsMatch(goodsId))
        {
            return null;
        }

        foreach (var ext in new[] { ".jpg", ".png" })
        {
            var path = Path.Combine(Directory, $"{goodsId}_{Letter(size)}{ext}");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>
    /// The address the pages load an image from: it carries the file's content hash (<c>v</c>), so the browser may keep
    /// it for a year and a new image after a sync is a new address (issue 14 point 12: 93 uncached requests per visit).
    /// </summary>
    public string Url(string goodsId, ProductImageSize size)
    {
        var url = $"/api/products/{goodsId}/image?size={size.ToString().ToLowerInvariant()}";
        return GetPath(goodsId, size) is { } path ? $"{url}&v={ContentHash(path)}" : url;
    }

    /// <summary>First 16 hex digits of the file's SHA-256, remembered while its length and write time stay the same.</summary>
    public string ContentHash(string path)
    {
        var file = new FileInfo(path);
        var key = (file.Length, file.LastWriteTimeUtc);
        if (hashes.TryGetValue(path, out var known) && known.Key == key)
        {
            return known.Hash;
        }

        using var stream = file.OpenRead();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream))[..16];
        hashes[path] = (key, hash);
        return hash;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ((long, DateTime) Key, string Hash)> hashes = new(StringComparer.Ordinal);

    public async Task<byte[]?> GetBytesAsync(string goodsId, ProductImageSize size = ProductImageSize.Large, CancellationToken cancellationToken = default) =>
        GetPath(goodsId, size) is { } path ? await File.ReadAllBytesAsync(path, cancellationToken) : null;

    /// <summary>Downloads one image into the cache; false (logged) when it cannot be fetched or is not an image.</summary>
    public async Task<bool> CacheAsync(string goodsId, ProductImageSize size, string url, CancellationToken cancellationToken)
    {
        if (!CoufunParsers.GoodsIdFormat().IsMatch(goodsId) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > options.ImageMaxBytes)
            {
                logger.LogWarning("Product image {GoodsId}/{Size}: HTTP {Status}", goodsId, size, (int)response.StatusCode);
                return false;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > options.ImageMaxBytes)
                {
                    logger.LogWarning("Product image {GoodsId}/{Size} is larger than {Max} bytes", goodsId, size, options.ImageMaxBytes);
                    return false;
                }

                buffer.Write(chunk, 0, read);
            }

            var bytes = buffer.ToArray();
            var ext = bytes is [0xFF, 0xD8, 0xFF, ..] ? ".jpg" : bytes is [0x89, 0x50, 0x4E, 0x47, ..] ? ".png" : null;
            if (ext is null)
            {
                logger.LogWarning("Product image {GoodsId}/{Size} is neither JPEG nor PNG", goodsId, size);
                return false;
            }

            System.IO.Directory.CreateDirectory(Directory);
            var target = Path.Combine(Directory, $"{goodsId}_{Letter(size)}{ext}");
            var temporary = target + $".{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, target, overwrite: true);
            var other = Path.ChangeExtension(target, ext == ".jpg" ? ".png" : ".jpg");
            File.Delete(other);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Product image {GoodsId}/{Size} could not be cached", goodsId, size);
            return false;
        }
    }

    private static char Letter(ProductImageSize size) => size switch
    {
        ProductImageSize.Small => 's',
        ProductImageSize.Medium => 'm',
        _ => 'b',
    };
}
