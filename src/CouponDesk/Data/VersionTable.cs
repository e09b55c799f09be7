using Dapper;
using FluentMigrator.Runner.VersionTableInfo;

namespace CouponDesk.Data;

/// <summary>
/// FluentMigrator's version table with a primary key on <c>Version</c> (FluentMigrator's default has a unique index
/// only, and Galera needs a primary key on every table: without one, row events are applied by scanning). Same name
/// and columns as the default, so existing databases keep their history: <see cref="AddPrimaryKeyAsync"/> adds the key
/// to a table created before this class existed (the unique index guarantees the values allow it).
/// </summary>
public sealed class VersionTable : IVersionTableMetaData
{
    public const string Name = "VersionInfo";

    public bool OwnsSchema => true;

    public string SchemaName => string.Empty;

    public string TableName => Name;

    public string ColumnName => "Version";

    public string DescriptionColumnName => "Description";

    public string UniqueIndexName => "UC_Version";

    public string AppliedOnColumnName => "AppliedOn";

    public bool CreateWithPrimaryKey => true;

    /// <summary>Gives an existing version table its primary key; a no-op on a new database or one already converted.</summary>
    public static async Task AddPrimaryKeyAsync(DbConnectionFactory connections, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var (exists, hasKey) = await c.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT COUNT(*),
              (SELECT COUNT(*) FROM information_schema.table_constraints k
               WHERE k.table_schema = DATABASE() AND k.table_name = @Name AND k.constraint_type = 'PRIMARY KEY')
            FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @Name
            """, new { Name }, cancellationToken: ct));
        if (exists == 1 && hasKey == 0)
        {
            await c.ExecuteAsync(new CommandDefinition($"ALTER TABLE `{Name}` ADD PRIMARY KEY (Version)", cancellationToken: ct));
        }
    }
}
