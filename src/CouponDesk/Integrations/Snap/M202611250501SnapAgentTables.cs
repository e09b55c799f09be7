using CouponDesk.Shared.Snap;
using FluentMigrator;

namespace CouponDesk.Integrations.Snap;

/// <summary>
/// The SNAP Agent's send table <c>UMS_MSG</c> exactly as spec/snap-agent.md §2.1 defines it, for development and test
/// databases. Month tables are not created here: the agent (or its stand-in) creates them when it first moves a row.
/// With <c>Snap:CreateAgentTables=false</c> (production) this step does nothing.
/// </summary>
[Migration(202611250501, "SNAP Agent send table")]
public sealed class M202611250501SnapAgentTables(SnapAgentSchema? schema = null) : Migration
{
    private readonly SnapAgentSchema settings = schema ?? new SnapAgentSchema(true, UmsTableDdl.DefaultSendTable);

    public override void Up()
    {
        if (settings.CreateTables)
        {
            Execute.Sql(UmsTableDdl.CreateSendTable(settings.SendTable));
        }
    }

    public override void Down()
    {
        if (settings.CreateTables)
        {
            Execute.Sql($"DROP TABLE IF EXISTS {UmsTableDdl.Quote(settings.SendTable)}");
        }
    }
}
