using FluentMigrator;

namespace CouponDesk.Features.Audit;

[Migration(202611250307, "Audit chain genesis")]
public sealed class M202611250307AuditChainGenesis : Migration
{
    public override void Up() => Execute.Sql(
        "INSERT IGNORE INTO audit_chain_head (id, last_id, last_hash, anchor_id, anchor_hash) VALUES (1, 0, UNHEX(REPEAT('00', 32)), 0, UNHEX(REPEAT('00', 32)))");

    public override void Down() => Execute.Sql("DELETE FROM audit_chain_head WHERE id = 1");
}
