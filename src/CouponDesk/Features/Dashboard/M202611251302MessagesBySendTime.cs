using FluentMigrator;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// The dashboard counts messages by their send time (today / the last 7 days, spec §3.8); without this index every
/// 30-second refresh would scan the whole <c>messages</c> table.
/// </summary>
[Migration(202611251302, "Messages by send time")]
public sealed class M202611251302MessagesBySendTime : Migration
{
    public override void Up() => Execute.Sql("CREATE INDEX IF NOT EXISTS ix_messages_req_at ON messages (req_at, status)");

    public override void Down() => Execute.Sql("DROP INDEX IF EXISTS ix_messages_req_at ON messages");
}
