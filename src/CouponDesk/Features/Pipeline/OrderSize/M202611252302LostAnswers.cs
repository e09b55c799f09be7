using FluentMigrator;

namespace CouponDesk.Features.Pipeline.OrderSize;

/// <summary>
/// The call log records whether a create call's answer was lost (an in-doubt outcome or a transport failure), for the
/// adaptive order size (D-PIPE-30); the index finds the newest lost answer of the whole cluster without a scan.
/// </summary>
[Migration(202611252302, "Issuance calls: lost answers")]
public sealed class M202611252302LostAnswers : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE issuance_calls ADD COLUMN IF NOT EXISTS lost TINYINT(1) NOT NULL DEFAULT 0 AFTER failed");
        Execute.Sql("CREATE INDEX IF NOT EXISTS ix_issuance_calls_lost ON issuance_calls (lost, id)");
    }

    public override void Down()
    {
        Execute.Sql("DROP INDEX IF EXISTS ix_issuance_calls_lost ON issuance_calls");
        Execute.Sql("ALTER TABLE issuance_calls DROP COLUMN IF EXISTS lost");
    }
}
