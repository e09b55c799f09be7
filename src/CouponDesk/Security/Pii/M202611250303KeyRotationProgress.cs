using FluentMigrator;

namespace CouponDesk.Security.Pii;

/// <summary>Where a re-encryption stands per column, committed with each batch: a killed rotation resumes from here.</summary>
[Migration(202611250303, "Key rotation progress")]
public sealed class M202611250303KeyRotationProgress : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS key_rotation_progress (
          target_version INT NOT NULL,
          table_name VARCHAR(64) NOT NULL,
          column_name VARCHAR(64) NOT NULL,
          last_id BIGINT NOT NULL DEFAULT 0,
          rows_reencrypted BIGINT NOT NULL DEFAULT 0,
          updated_at DATETIME(6) NOT NULL,
          PRIMARY KEY (target_version, table_name, column_name)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS key_rotation_progress");
}
