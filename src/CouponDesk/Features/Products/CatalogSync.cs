using System.Globalization;
using System.Text;
using CouponDesk.Data;
using CouponDesk.Data.Leases;
using CouponDesk.Features.Alerts;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Products;

/// <summary>A sync that ran: its run row, SUCCEEDED or FAILED, and the operator's reason for a failure.</summary>
public sealed record SyncRunResult(long? RunId, string Outcome, string? ErrorKo);

/// <summary>
/// Downloads COUFUN's product list and replaces the local copy in one transaction (spec §3.5, §5.7): upserts, logs
/// changes of name, prices, validity and status, marks products missing from a successful list as discontinued
/// (never deletes), then caches images. One run at a time across processes (the <c>catalog-sync</c> lease); daily call
/// budget and the manual-run limit are checked before calling. A failure keeps the last good catalog.
/// </summary>
public sealed class CatalogSync(DbConnectionFactory connections, NamedLeases leases, CoufunClient coufun, ProductImageStore images, CatalogOptions options, IOperationsAlerts alerts, TimeProvider time, ILogger<CatalogSync> logger)
{
    public const string Scheduled = "SCHEDULED";
    public const string Manual = "MANUAL";
    /// <summary>The lease a run holds: a second run, scheduled or manual, is refused while it is taken.</summary>
    public const string LeaseName = "catalog-sync";
    private const int Batch = 500;

    /// <summary>The last of the scheduled tries (04:00, 04:30, 05:00 KST, <see cref="CatalogSyncJobRegistration"/>).</summary>
    private static readonly TimeSpan LastScheduledTry = new(5, 0, 0);

    /// <summary>The 04:30 / 05:00 retries run only when today's scheduled run has not succeeded (and no 09 was seen).</summary>
    public async Task<Outcome<SyncRunResult>?> RunScheduledAsync(CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var done = await c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM catalog_sync_runs WHERE day_kst = @day AND ((trigger_kind = 'SCHEDULED' AND outcome = 'SUCCEEDED') OR result_code = '09')",
            new { day = TodayKst.ToDateTime(TimeOnly.MinValue) });
        if (done > 0)
        {
            return null;
        }

        var outcome = await RunAsync(Scheduled, null, ct);
        // Spec §5.9 "catalog sync failure" after its retries: the 05:00 KST run (or a later catch-up) is the last one.
        if (outcome.Value is { Outcome: "FAILED" } failed && Kst.Now(time).TimeOfDay >= LastScheduledTry)
        {
            await alerts.RaiseAsync(new OperationsAlert(
                "catalog.sync_failed",
                $"상품 동기화가 재시도 후에도 실패했습니다 (실행 #{failed.RunId}): {failed.ErrorKo} 상품관리에서 수동 동기화를 시도하거나 공급사 상태를 확인해 주세요.",
                AlertSeverity.Warning,
                "catalog"), ct);
        }

        return outcome;
    }

    /// <summary>Runs a sync now, or refuses (another run holds the lease; the daily call budget or the manual-run limit is used up).</summary>
    public async Task<Outcome<SyncRunResult>> RunAsync(string trigger, string? requestedBy, CancellationToken ct)
    {
        await using var lease = await leases.TryAcquireAsync(LeaseName, TimeSpan.FromMinutes(2), ct);
        if (lease is null)
        {
            return Refusal.Conflict("catalog_sync_running", "상품 동기화가 이미 진행 중입니다. 잠시 후 다시 확인해 주세요.");
        }

        // The work stops when the lease is lost (this process stalled past it and another took over).
        using var work = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
        await using var c = await connections.OpenAsync(ct);
        if (await CheckLimitsAsync(c, trigger) is { } refusal)
        {
            return refusal;
        }

        var runId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO catalog_sync_runs (trigger_kind, requested_by, day_kst, started_at, outcome, called_coufun)
            VALUES (@trigger, @requestedBy, @day, @now, 'RUNNING', 1);
            SELECT LAST_INSERT_ID();
            """,
            new { trigger, requestedBy, day = TodayKst.ToDateTime(TimeOnly.MinValue), now = Now });
        try
        {
            return await SyncAsync(c, runId, work.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Catalog sync run {RunId} failed", runId);
            await FinishFailedAsync(c, runId, null, $"내부 오류로 동기화하지 못했습니다 ({ex.GetType().Name}). 이전 상품 목록을 계속 사용합니다.");
            return new SyncRunResult(runId, "FAILED", "내부 오류로 동기화하지 못했습니다.");
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await FinishFailedAsync(c, runId, null, "다른 서버가 동기화를 이어받아 이 실행을 중단했습니다.");
            return new SyncRunResult(runId, "FAILED", "다른 서버가 동기화를 이어받았습니다.");
        }
    }

    private async Task<Refusal?> CheckLimitsAsync(MySqlConnection c, string trigger)
    {
        var today = await c.QuerySingleAsync<(int Manual, int Calls, int LimitHit)>(
            """
            SELECT COALESCE(SUM(trigger_kind = 'MANUAL' AND called_coufun = 1), 0), COALESCE(SUM(called_coufun = 1), 0), COALESCE(SUM(result_code = '09'), 0)
            FROM catalog_sync_runs WHERE day_kst = @day
            """,
            new { day = TodayKst.ToDateTime(TimeOnly.MinValue) });
        if (today.LimitHit > 0)
        {
            return Refusal.TooManyRequests("coufun_daily_limit", "공급사 일일 상품 조회 한도(코드 09)에 도달했습니다. 내일 다시 동기화됩니다.");
        }

        if (trigger == Manual && today.Manual >= options.ManualRunsPerDay)
        {
            return Refusal.TooManyRequests("manual_sync_limit", "오늘 수동 동기화 가능 횟수를 모두 사용했습니다.");
        }

        return today.Calls >= options.DailyCallBudget
            ? Refusal.TooManyRequests("daily_call_budget", "오늘 공급사 상품 조회 가능 횟수를 모두 사용했습니다. 내일 다시 시도해 주세요.")
            : null;
    }

    private async Task<SyncRunResult> SyncAsync(MySqlConnection c, long runId, CancellationToken ct)
    {
        var answer = await coufun.GetProductsAsync(ct);
        if (answer.Outcome != CoufunOutcome.Success || answer.Value is null)
        {
            var reason = $"공급사 상품 목록을 받지 못했습니다: {answer.DescribeKo()} 이전 상품 목록을 계속 사용합니다.";
            await FinishFailedAsync(c, runId, answer.ResultCode, reason + (answer.Failure is null ? "" : $" ({answer.Failure})"));
            return new SyncRunResult(runId, "FAILED", reason);
        }

        var list = answer.Value;
        var onSale = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM products WHERE status = 'ON_SALE'");
        if ((list.ListCount is { } declared && declared != list.Products.Count + list.Skipped) || (list.Products.Count == 0 && onSale > 0))
        {
            // A list shorter than it says, or an empty one, would discontinue products that are still sold.
            var reason = $"공급사 상품 목록이 불완전합니다 (LIST_CNT {list.ListCount?.ToString(CultureInfo.InvariantCulture) ?? "-"}, 수신 {list.Products.Count}건). 이전 상품 목록을 계속 사용합니다.";
            await FinishFailedAsync(c, runId, answer.ResultCode, reason);
            return new SyncRunResult(runId, "FAILED", reason);
        }

        var products = list.Products.GroupBy(p => p.GoodsId, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var now = Now;
        var counts = await DeadlockRetry.RunAsync(() => ReplaceCatalogAsync(c, runId, products, now, ct), logger, "catalog replace");
        var (cached, failed) = await CacheImagesAsync(products, counts.ImageUrlsChanged, ct);
        await c.ExecuteAsync(
            """
            UPDATE catalog_sync_runs SET finished_at = @finished, outcome = 'SUCCEEDED', result_code = '00', product_count = @count, added = @added,
              changed = @changed, discontinued = @discontinued, skipped = @skipped, images_cached = @cached, image_failures = @failed
            WHERE id = @runId
            """,
            new { finished = Now, count = products.Count, counts.Added, counts.Changed, counts.Discontinued, skipped = list.Skipped + (list.Products.Count - products.Count), cached, failed, runId });
        logger.LogInformation("Catalog sync {RunId}: {Count} products, {Added} added, {Changed} changed, {Discontinued} discontinued", runId, products.Count, counts.Added, counts.Changed, counts.Discontinued);
        var firstCatalog = counts.Added == products.Count && counts.Changed == 0 && counts.Discontinued == 0;
        if (!firstCatalog && counts.Added + counts.Changed + counts.Discontinued > 0)
        {
            // Spec §5.9 "catalog changes": a price or a product an operator relies on may have moved.
            await alerts.RaiseAsync(new OperationsAlert(
                "catalog.changed",
                string.Create(CultureInfo.InvariantCulture, $"상품 목록이 변경되었습니다 (동기화 #{runId}): 신규 {counts.Added}건, 변경 {counts.Changed}건, 판매중지 {counts.Discontinued}건. 상품관리의 변경 이력에서 확인해 주세요."),
                AlertSeverity.Info,
                $"catalog-run:{runId}"), ct);
        }

        return new SyncRunResult(runId, "SUCCEEDED", null);
    }

    private sealed record Counts(int Added, int Changed, int Discontinued, HashSet<string> ImageUrlsChanged);

    private sealed record Existing(string GoodsId, string? Name, int? OriPrice, int? Price, string? ValidEndType, string? ValidEndValue, string Status, string? ImageSUrl, string? ImageMUrl, string? ImageBUrl);

    private static async Task<Counts> ReplaceCatalogAsync(MySqlConnection c, long runId, List<CoufunProduct> products, DateTime now, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct);
        var existing = (await c.QueryAsync<Existing>(
            "SELECT goods_id AS GoodsId, name, ori_price AS OriPrice, price, valid_end_type AS ValidEndType, valid_end_value AS ValidEndValue, status, image_s_url AS ImageSUrl, image_m_url AS ImageMUrl, image_b_url AS ImageBUrl FROM products FOR UPDATE",
            transaction: tx)).ToDictionary(e => e.GoodsId, StringComparer.Ordinal);
        var changes = new List<(string GoodsId, string Field, string? Old, string? New)>();
        var added = 0;
        var changedProducts = 0;
        var imageChanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in products)
        {
            if (!existing.TryGetValue(p.GoodsId, out var old))
            {
                added++;
                imageChanged.Add(p.GoodsId);
                continue;
            }

            var before = changes.Count;
            Track(changes, p.GoodsId, "name", old.Name, Clip(p.Name, 200));
            Track(changes, p.GoodsId, "ori_price", old.OriPrice?.ToString(CultureInfo.InvariantCulture), p.OriPrice?.ToString(CultureInfo.InvariantCulture));
            Track(changes, p.GoodsId, "price", old.Price?.ToString(CultureInfo.InvariantCulture), p.Price?.ToString(CultureInfo.InvariantCulture));
            Track(changes, p.GoodsId, "validity", $"{old.ValidEndType}:{old.ValidEndValue}", $"{p.ValidEndType}:{Clip(p.ValidEndDate, 8)}");
            Track(changes, p.GoodsId, "status", old.Status, ProductStatus.OnSale);
            if (changes.Count > before)
            {
                changedProducts++;
            }

            if (old.ImageSUrl != p.ImageSmall?.Url || old.ImageMUrl != p.ImageMedium?.Url || old.ImageBUrl != p.ImageLarge?.Url)
            {
                imageChanged.Add(p.GoodsId);
            }
        }

        foreach (var batch in products.Chunk(Batch))
        {
            await UpsertAsync(c, tx, batch, now);
        }

        var gone = existing.Values.Where(e => e.Status == ProductStatus.OnSale).Select(e => e.GoodsId).Except(products.Select(p => p.GoodsId), StringComparer.Ordinal).ToList();
        foreach (var batch in gone.Chunk(Batch))
        {
            await c.ExecuteAsync("UPDATE products SET status = 'DISCONTINUED', changed_at = @now WHERE goods_id IN @ids", new { now, ids = batch }, tx);
        }

        changes.AddRange(gone.Select(g => (g, "status", (string?)ProductStatus.OnSale, (string?)ProductStatus.Discontinued)));
        foreach (var batch in changes.Chunk(Batch))
        {
            var sql = new StringBuilder("INSERT INTO product_changes (goods_id, sync_run_id, field, old_value, new_value, changed_at) VALUES ");
            var parameters = new DynamicParameters(new { runId, now });
            for (var i = 0; i < batch.Length; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@g{i}, @runId, @f{i}, @o{i}, @n{i}, @now)");
                parameters.Add($"g{i}", batch[i].GoodsId);
                parameters.Add($"f{i}", batch[i].Field);
                parameters.Add($"o{i}", Clip(batch[i].Old, 300));
                parameters.Add($"n{i}", Clip(batch[i].New, 300));
            }

            await c.ExecuteAsync(sql.ToString(), parameters, tx);
        }

        var changedIds = changes.Select(x => x.GoodsId).Distinct(StringComparer.Ordinal).Except(gone).ToList();
        foreach (var batch in changedIds.Chunk(Batch))
        {
            await c.ExecuteAsync("UPDATE products SET changed_at = @now WHERE goods_id IN @ids", new { now, ids = batch }, tx);
        }

        await tx.CommitAsync(ct);
        return new Counts(added, changedProducts, gone.Count, imageChanged);
    }

    private static async Task UpsertAsync(MySqlConnection c, MySqlTransaction tx, CoufunProduct[] batch, DateTime now)
    {
        var sql = new StringBuilder("""
            INSERT INTO products (goods_id, cat_id, name, ori_price, price, goods_info, use_guide, exc_branch, valid_end_type, valid_end_value, send_type,
              image_s_url, image_s_w, image_s_h, image_m_url, image_m_w, image_m_h, image_b_url, image_b_w, image_b_h, status, first_seen_at, changed_at, synced_at) VALUES
            """);
        var parameters = new DynamicParameters(new { now });
        for (var i = 0; i < batch.Length; i++)
        {
            var p = batch[i];
            sql.Append(i == 0 ? "\n" : ",\n").Append(CultureInfo.InvariantCulture,
                $"(@id{i}, @cat{i}, @name{i}, @ori{i}, @price{i}, @info{i}, @guide{i}, @branch{i}, @vt{i}, @vv{i}, @st{i}, @su{i}, @sw{i}, @sh{i}, @mu{i}, @mw{i}, @mh{i}, @bu{i}, @bw{i}, @bh{i}, 'ON_SALE', @now, @now, @now)");
            parameters.Add($"id{i}", p.GoodsId);
            parameters.Add($"cat{i}", Clip(p.CatId, 10));
            parameters.Add($"name{i}", Clip(p.Name, 200));
            parameters.Add($"ori{i}", p.OriPrice);
            parameters.Add($"price{i}", p.Price);
            parameters.Add($"info{i}", Clip(p.Info, 16000));
            parameters.Add($"guide{i}", Clip(p.UseGuide, 16000));
            parameters.Add($"branch{i}", Clip(p.ExchangeBranch, 100));
            parameters.Add($"vt{i}", Clip(p.ValidEndType, 1));
            parameters.Add($"vv{i}", Clip(p.ValidEndDate, 8));
            parameters.Add($"st{i}", Clip(p.SendType, 1));
            parameters.Add($"su{i}", Clip(p.ImageSmall?.Url, 300));
            parameters.Add($"sw{i}", p.ImageSmall?.Width);
            parameters.Add($"sh{i}", p.ImageSmall?.Height);
            parameters.Add($"mu{i}", Clip(p.ImageMedium?.Url, 300));
            parameters.Add($"mw{i}", p.ImageMedium?.Width);
            parameters.Add($"mh{i}", p.ImageMedium?.Height);
            parameters.Add($"bu{i}", Clip(p.ImageLarge?.Url, 300));
            parameters.Add($"bw{i}", p.ImageLarge?.Width);
            parameters.Add($"bh{i}", p.ImageLarge?.Height);
        }

        sql.Append("""

            ON DUPLICATE KEY UPDATE cat_id = VALUES(cat_id), name = VALUES(name), ori_price = VALUES(ori_price), price = VALUES(price),
              goods_info = VALUES(goods_info), use_guide = VALUES(use_guide), exc_branch = VALUES(exc_branch), valid_end_type = VALUES(valid_end_type),
              valid_end_value = VALUES(valid_end_value), send_type = VALUES(send_type), image_s_url = VALUES(image_s_url), image_s_w = VALUES(image_s_w),
              image_s_h = VALUES(image_s_h), image_m_url = VALUES(image_m_url), image_m_w = VALUES(image_m_w), image_m_h = VALUES(image_m_h),
              image_b_url = VALUES(image_b_url), image_b_w = VALUES(image_b_w), image_b_h = VALUES(image_b_h), status = 'ON_SALE', synced_at = VALUES(synced_at)
            """);
        await c.ExecuteAsync(sql.ToString(), parameters, tx);
    }

    private async Task<(int Cached, int Failed)> CacheImagesAsync(List<CoufunProduct> products, HashSet<string> urlsChanged, CancellationToken ct)
    {
        var cached = 0;
        var failed = 0;
        foreach (var p in products)
        {
            foreach (var (size, image) in new[] { (ProductImageSize.Small, p.ImageSmall), (ProductImageSize.Medium, p.ImageMedium), (ProductImageSize.Large, p.ImageLarge) })
            {
                if (image is null || (!urlsChanged.Contains(p.GoodsId) && images.GetPath(p.GoodsId, size) is not null))
                {
                    continue;
                }

                if (await images.CacheAsync(p.GoodsId, size, image.Url, ct))
                {
                    cached++;
                }
                else
                {
                    failed++;
                }
            }
        }

        return (cached, failed);
    }

    private async Task FinishFailedAsync(MySqlConnection c, long runId, string? code, string error) =>
        await c.ExecuteAsync(
            "UPDATE catalog_sync_runs SET finished_at = @now, outcome = 'FAILED', result_code = @code, error = @error WHERE id = @runId",
            new { now = Now, code, error = Clip(error, 1000), runId });

    private static void Track(List<(string, string, string?, string?)> changes, string goodsId, string field, string? old, string? @new)
    {
        if (!string.Equals(old, @new, StringComparison.Ordinal))
        {
            changes.Add((goodsId, field, old, @new));
        }
    }

    private static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private DateOnly TodayKst => DateOnly.FromDateTime(Kst.Now(time));
}

public static class ProductStatus
{
    public const string OnSale = "ON_SALE";
    public const string Discontinued = "DISCONTINUED";
}
