using FluentMigrator;

namespace CouponDesk.Features.Campaigns.SenderNumbers;

/// <summary>
/// The registered sender numbers (spec §3.11, snap-agent.md §10) are the SNAP side's table (<c>Integrations/Snap</c>);
/// campaign registration adds only which one is the default (D-PLAT-9).
/// </summary>
[Migration(202611250704, "Sender numbers (issue 7 placeholder)")]
public sealed class M202611250704SenderNumberDefault : Migration
{
    public override void Up()
    {
        Execute.Sql("ALTER TABLE sender_numbers ADD COLUMN IF NOT EXISTS is_default TINYINT(1) NOT NULL DEFAULT 0");
    }

    public override void Down() => Execute.Sql("ALTER TABLE sender_numbers DROP COLUMN IF EXISTS is_default");
}
