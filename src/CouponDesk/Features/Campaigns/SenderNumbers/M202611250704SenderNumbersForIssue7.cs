using FluentMigrator;

namespace CouponDesk.Features.Campaigns.SenderNumbers;

/// <summary>
/// MERGE NOTE (issue 7 placeholder): the registered sender numbers (spec §3.11, snap-agent.md §10) belong to the SNAP
/// issue (5). Until it lands this creates only what campaign registration needs, IF NOT EXISTS; reconcile at merge.
/// </summary>
[Migration(202611250704, "Sender numbers (issue 7 placeholder)")]
public sealed class M202611250704SenderNumbersForIssue7 : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE sender_numbers ADD COLUMN IF NOT EXISTS is_default TINYINT(1) NOT NULL DEFAULT 0");
    }

    public override void Down() => Execute.Sql("ALTER TABLE sender_numbers DROP COLUMN IF EXISTS is_default");
}
