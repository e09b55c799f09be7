using System.Globalization;
using System.Text;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Security.Pii;

/// <summary>
/// Writes bound values (D-SEC-12) into rows just inserted by a multi-row INSERT whose AUTO_INCREMENT ids were not known
/// before it — and are not necessarily contiguous (<c>innodb_autoinc_lock_mode=2</c> under Galera, D-SNAP-2). The rows
/// are found again by a unique blind index, and one UPDATE writes every value bound to its row: two statements per
/// batch, none per row, in the insert's transaction so no one ever sees a row without its value.
/// </summary>
public static class BoundValueWriter
{
    /// <param name="indexColumn">A unique column of <paramref name="column"/>'s table holding each value's blind index.</param>
    /// <param name="values">Each row's blind index (as inserted) and the clear value to bind to it.</param>
    public static async Task WriteByIndexAsync(
        MySqlConnection connection, MySqlTransaction transaction, PiiProtector pii, EncryptedColumn column, string indexColumn,
        IReadOnlyList<(byte[] Index, string Clear)> values, CancellationToken cancellationToken)
    {
        if (values.Count == 0)
        {
            return;
        }

        var (table, col, id, index) = ($"`{column.Table}`", $"`{column.Column}`", $"`{column.IdColumn}`", $"`{new EncryptedColumn(column.Table, indexColumn).Validated().Column}`");
        var byIndex = values.ToDictionary(v => Convert.ToHexString(v.Index), v => v.Clear);
        var rows = (await connection.QueryAsync<(long Id, byte[] Index)>(new CommandDefinition(
            $"SELECT {id}, {index} FROM {table} WHERE {index} IN @indexes",
            new { indexes = values.Select(v => v.Index).ToArray() }, transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count != values.Count)
        {
            throw new InvalidOperationException($"{values.Count} rows were inserted into {column.Table} but {rows.Count} found by their index");
        }

        var sql = new StringBuilder($"UPDATE {table} SET {col} = CASE {id}");
        var parameters = new DynamicParameters();
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" WHEN {rows[i].Id} THEN @v{i}");
            parameters.Add($"v{i}", pii.Encrypt(byIndex[Convert.ToHexString(rows[i].Index)], column.PlaceOf(rows[i].Id)));
        }

        sql.Append(CultureInfo.InvariantCulture, $" END WHERE {id} IN @ids");
        parameters.Add("ids", rows.Select(r => r.Id).ToArray());
        await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
    }
}
