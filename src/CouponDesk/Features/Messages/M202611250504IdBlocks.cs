using FluentMigrator;

namespace CouponDesk.Features.Messages;

/// <summary>
/// Id allocation in blocks (<see cref="MessageIdAllocator"/>): one counter row per sequence, advanced in autocommit so
/// a rolled-back batch leaves a gap instead of handing the same ids out again.
/// </summary>
[Migration(202611250504, "Id blocks")]
public sealed class M202611250504IdBlocks : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS id_blocks (
              name VARCHAR(40) NOT NULL PRIMARY KEY,
              next_value BIGINT NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("INSERT IGNORE INTO id_blocks (name, next_value) VALUES ('messages', 1)");
    }

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS id_blocks");
}
