using System.Globalization;
using System.Text.Json;
using CouponDesk.Features.Campaigns;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Exports;

/// <summary>
/// Writes requested exports to files (spec §3.3.4): the workbook streams its rows straight into a file (the detail
/// reads 1,000 items at a time), so a 20,000-row export needs no more memory than a small one. A file appears under
/// its final name only once complete; a failed attempt leaves nothing and is retried up to <c>MaxAttempts</c>.
/// </summary>
public sealed class ExportGenerator(
    ExportStore store, CampaignDetailWorkbook detail, CampaignListWorkbook list, ExportOptions options, IHostEnvironment environment,
    TimeProvider time, ILogger<ExportGenerator> logger)
{
    public string Root => Path.IsPathRooted(options.Directory) ? options.Directory : Path.Combine(environment.ContentRootPath, options.Directory);

    /// <summary>Generates every waiting export, one at a time; returns how many it finished.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct)
    {
        var done = 0;
        while (!ct.IsCancellationRequested && await store.NextAsync(ct) is { } id)
        {
            if (await TryGenerateAsync(id, ct))
            {
                done++;
            }
        }

        return done;
    }

    /// <summary>Claims and generates one export; false when another process has it or it failed.</summary>
    public async Task<bool> TryGenerateAsync(long id, CancellationToken ct)
    {
        if (!await store.ClaimAsync(id, ct) || await store.FindAsync(id, ct) is not { } export)
        {
            return false;
        }

        var relative = Path.Combine(Kst.ToKst(time.GetUtcNow().UtcDateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N") + ".xlsx");
        var path = Path.Combine(Root, relative);
        var partial = path + ".part";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            int rows;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, useAsync: true))
            {
                rows = await WriteAsync(export, file, ct);
            }

            File.Move(partial, path);
            if (await store.CompleteAsync(id, relative, rows, new FileInfo(path).Length, ct))
            {
                return true;
            }

            // Taken over meanwhile (this process was too slow): the other attempt's file is the one kept.
            File.Delete(path);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Export {ExportId} failed: {Error}", id, ex.GetType().Name);
            TryDelete(partial);
            TryDelete(path);
            await store.FailAsync(id, ex.GetType().Name, CancellationToken.None);
            return false;
        }
    }

    private async Task<int> WriteAsync(ExportRecord export, Stream output, CancellationToken ct)
    {
        if (export.Kind == ExportStatus.KindDetail)
        {
            var campaign = await detail.HeaderAsync(export.CampaignId ?? 0, ct) ?? throw new InvalidOperationException("campaign gone");
            return await detail.WriteAsync(campaign, export.Unmasked, output, ct);
        }

        var query = ExportFilters.Parse(export.Filters) ?? throw new InvalidOperationException("filters no longer valid");
        return await list.WriteAsync(query, output, ct);
    }

    public void DeleteFile(string? relative)
    {
        if (relative is not null)
        {
            TryDelete(Path.Combine(Root, relative));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next cleanup; the record says expired either way.
        }
    }
}

/// <summary>The list filters as stored with an export: the normalised form of <see cref="CampaignListQuery.Describe"/>.</summary>
public static class ExportFilters
{
    public static string Serialize(CampaignListQuery query) => JsonSerializer.Serialize(query.Describe().Where(kv => kv.Value is not null).ToDictionary());

    public static CampaignListQuery? Parse(string? json)
    {
        var values = json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        return CampaignListQuery.Parse(
            values.GetValueOrDefault("from"), values.GetValueOrDefault("to"), values.GetValueOrDefault("clientName"), values.GetValueOrDefault("eventName"),
            values.GetValueOrDefault("status"), values.GetValueOrDefault("sort"), values.GetValueOrDefault("direction"), null, []);
    }
}
