using FluentMigrator;

namespace CouponDesk.Features.Users;

/// <summary>
/// Staff personal fields, stored encrypted (spec §2.1, §7.1), and the lock/deactivation times the lockout and the
/// retention rules need. One ALTER statement (MariaDB DDL is not transactional; IF NOT EXISTS makes a re-run safe).
/// </summary>
[Migration(202611250301, "User personal fields and lock times")]
public sealed class M202611250301UserAccountFields : Migration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE users
          ADD COLUMN IF NOT EXISTS name_enc VARBINARY(256) NULL COMMENT 'EncryptedString',
          ADD COLUMN IF NOT EXISTS email_enc VARBINARY(512) NULL COMMENT 'EncryptedString',
          ADD COLUMN IF NOT EXISTS mobile_enc VARBINARY(128) NULL COMMENT 'EncryptedString',
          ADD COLUMN IF NOT EXISTS locked_at DATETIME(6) NULL,
          ADD COLUMN IF NOT EXISTS deactivated_at DATETIME(6) NULL
        """);

    public override void Down() => Execute.Sql("""
        ALTER TABLE users DROP COLUMN IF EXISTS name_enc, DROP COLUMN IF EXISTS email_enc, DROP COLUMN IF EXISTS mobile_enc,
          DROP COLUMN IF EXISTS locked_at, DROP COLUMN IF EXISTS deactivated_at
        """);
}
