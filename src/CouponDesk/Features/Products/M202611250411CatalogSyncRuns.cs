using FluentMigrator;

namespace CouponDesk.Features.Products;

/// <summary>Each sync run: trigger, times, counts, outcome (spec §3.5 sync panel).</summary>
[Migration(202611250411, "Catalog sync runs")]
public sealed class M202611250411CatalogSyncRuns : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS catalog_sync_runs (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          trigger_kind VARCHAR(16) NOT NULL COMMENT 'SCHEDULED or MANUAL',
          requested_by VARCHAR(50) NULL,
          day_kst DATE NOT NULL COMMENT 'the KST day of the run, for the daily limits',
          started_at DATETIME(6) NOT NULL,
          finished_at DATETIME(6) NULL,
          outcome VARCHAR(16) NOT NULL COMMENT 'RUNNING, SUCCEEDED, FAILED',
          called_coufun TINYINT(1) NOT NULL DEFAULT 0,
          result_code VARCHAR(2) NULL,
          product_count INT NULL,
          added INT NULL,
          changed INT NULL,
          discontinued INT NULL,
          skipped INT NULL,
          images_cached INT NULL,
          image_failures INT NULL,
          error VARCHAR(1000) NULL,
          KEY ix_sync_runs_day (day_kst, trigger_kind)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS catalog_sync_runs");
}
