using FluentMigrator;

namespace CouponDesk.Features.Users;

/// <summary>
/// Back-office accounts (spec §2.1). Personal fields (name, e-mail, mobile) are added encrypted by the accounts feature.
/// Versions are <c>yyyyMMddNNNN</c> so features developed side by side do not collide.
/// </summary>
[Migration(202611250001, "Users")]
public sealed class M202611250001Users : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS users (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              login_id VARCHAR(15) NOT NULL,
              login_id_key VARCHAR(15) NOT NULL COMMENT 'lower-case login id: unique case-insensitively',
              password_hash VARCHAR(100) NOT NULL,
              role VARCHAR(16) NOT NULL,
              status VARCHAR(16) NOT NULL,
              must_change_password TINYINT(1) NOT NULL DEFAULT 1,
              failed_login_count INT NOT NULL DEFAULT 0,
              last_login_at DATETIME(6) NULL,
              password_changed_at DATETIME(6) NULL,
              created_at DATETIME(6) NOT NULL,
              updated_at DATETIME(6) NOT NULL,
              UNIQUE KEY ux_users_login_id_key (login_id_key)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS users");
}
