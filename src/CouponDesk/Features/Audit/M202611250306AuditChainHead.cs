using FluentMigrator;

namespace CouponDesk.Features.Audit;

/// <summary>
/// The chain's head: one row locked (<c>FOR UPDATE</c>) by every writer inside its transaction, which serialises
/// appends so two writers never chain to the same predecessor. <c>anchor_*</c> is the last row removed by retention:
/// verification starts after it.
/// </summary>
[Migration(202611250306, "Audit chain head")]
public sealed class M202611250306AuditChainHead : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS audit_chain_head (
          id TINYINT NOT NULL PRIMARY KEY,
          last_id BIGINT NOT NULL,
          last_hash BINARY(32) NOT NULL,
          anchor_id BIGINT NOT NULL,
          anchor_hash BINARY(32) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS audit_chain_head");
}
