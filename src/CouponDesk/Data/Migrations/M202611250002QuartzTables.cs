using FluentMigrator;

namespace CouponDesk.Data.Migrations;

/// <summary>
/// Quartz's own MySQL/InnoDB schema, taken from the DDL embedded in Quartz.dll so it always matches the library.
/// Statements are separated by lines that are exactly <c>--;;</c>; <c>{0}</c> is the table prefix. Index names are kept:
/// Quartz's queries force <c>IDX_QRTZ_T_NFT_ST</c>.
/// </summary>
[Migration(202611250002, "Quartz job store")]
public sealed class M202611250002QuartzTables : Migration
{
    private const string Resource = "Quartz.Impl.AdoJobStore.Schema.create_mysql_innodb.sql";

    public override void Up()
    {
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Quartz.dll has no embedded resource {Resource}");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", "QRTZ_", StringComparison.Ordinal).Replace("{1}", "", StringComparison.Ordinal);
        foreach (var statement in script.Split(["\n--;;\n", "\r\n--;;\r\n"], StringSplitOptions.RemoveEmptyEntries))
        {
            var sql = statement.Trim();
            if (sql.Length > 0 && !IsOnlyComments(sql))
            {
                Execute.Sql(sql);
            }
        }
    }

    public override void Down()
    {
    }

    private static bool IsOnlyComments(string sql) =>
        sql.Split('\n').All(line => line.TrimStart().StartsWith("--", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line));
}
