using Dapper;
using FluentMigrator;

namespace CouponDesk.Data.Migrations;

/// <summary>
/// Repairs the Quartz index names: migration 202611250002 replaced the DDL's index prefix <c>{1}</c> with nothing, so
/// the indexes came out as <c>IDX_T_NFT_ST</c> …, while Quartz's queries force <c>IDX_QRTZ_T_NFT_ST</c> and fail
/// ("Key … doesn't exist") as soon as a job is scheduled. Renames every <c>IDX_</c> index on a <c>QRTZ_</c> table that
/// lacks the prefix; does nothing on a database whose names are already right.
/// </summary>
[Migration(202611250505, "Quartz index names")]
public sealed class M202611250505QuartzIndexNames : Migration
{
    public override void Up() => Execute.WithConnection((connection, transaction) =>
    {
        var wrong = connection.Query<(string Table, string Index)>(
            """
            SELECT DISTINCT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'QRTZ\_%'
              AND INDEX_NAME LIKE 'IDX\_%' AND INDEX_NAME NOT LIKE 'IDX\_QRTZ\_%'
            """, transaction: transaction).ToList();
        foreach (var (table, index) in wrong)
        {
            connection.Execute(
                $"ALTER TABLE `{table}` RENAME INDEX `{index}` TO `IDX_QRTZ_{index["IDX_".Length..]}`", transaction: transaction);
        }
    });

    public override void Down()
    {
    }
}
