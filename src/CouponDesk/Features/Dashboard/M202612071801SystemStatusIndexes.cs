using FluentMigrator;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// 시스템 상태 (spec §3.8) asks "when did the last result arrive" and "when did the last coupon order succeed" on every
/// refresh. On a year of data (2.4 million messages, 240,000 orders) the answers came from reading every message of the
/// last 7 days and every succeeded order; with these indexes each is one index dive (issue 21, D-PERF-1). Each row
/// writes its index entry once: a message when its result arrives, an order when it finishes.
/// </summary>
[Migration(202612071801, "System status indexes")]
public sealed class M202612071801SystemStatusIndexes : Migration
{
    public override void Up() => Execute.Sql(
        """
        CREATE INDEX IF NOT EXISTS ix_messages_result_at ON messages (result_at);
        CREATE INDEX IF NOT EXISTS ix_issuance_orders_status_finished ON issuance_orders (status, finished_at);
        """);

    public override void Down() => Execute.Sql(
        """
        DROP INDEX IF EXISTS ix_messages_result_at ON messages;
        DROP INDEX IF EXISTS ix_issuance_orders_status_finished ON issuance_orders;
        """);
}
