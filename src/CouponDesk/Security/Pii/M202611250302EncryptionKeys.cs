using FluentMigrator;

namespace CouponDesk.Security.Pii;

/// <summary>Key versions and their state (ACTIVE, DECRYPT_ONLY while a rotation runs, RETIRED), never the keys (spec §7.2).</summary>
[Migration(202611250302, "Encryption keys")]
public sealed class M202611250302EncryptionKeys : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS encryption_keys (
          version INT NOT NULL PRIMARY KEY,
          state VARCHAR(16) NOT NULL COMMENT 'ACTIVE | DECRYPT_ONLY | RETIRED',
          key_check BINARY(32) NOT NULL COMMENT 'HMAC of a fixed label: detects a wrong key under this version, reveals nothing',
          created_at DATETIME(6) NOT NULL,
          retired_at DATETIME(6) NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS encryption_keys");
}
