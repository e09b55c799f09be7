using FluentMigrator;

namespace CouponDesk.Features.Auth;

/// <summary>One row per login (spec §2.5). Every request checks it; ended rows stay a day for the record, then go.</summary>
[Migration(202611250304, "Auth sessions")]
public sealed class M202611250304AuthSessions : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS auth_sessions (
          id CHAR(32) NOT NULL PRIMARY KEY COMMENT '128 random bits, hex',
          user_id BIGINT NOT NULL,
          created_at DATETIME(6) NOT NULL,
          last_seen_at DATETIME(6) NOT NULL,
          absolute_expires_at DATETIME(6) NOT NULL,
          ended_at DATETIME(6) NULL,
          end_reason VARCHAR(32) NULL,
          source_ip VARCHAR(45) NULL,
          user_agent VARCHAR(256) NULL,
          KEY ix_auth_sessions_user (user_id, ended_at),
          KEY ix_auth_sessions_ended (ended_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS auth_sessions");
}
