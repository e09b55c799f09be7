using System.Text;
using CouponDesk.Data;
using Dapper;

namespace CouponDesk.Features.Audit;

/// <summary>Filters of the audit screen (spec §3.7). Times are instants; the screen sends KST days as <c>+09:00</c> offsets.</summary>
public sealed record AuditFilter(
    DateTime FromUtc,
    DateTime ToUtc,
    string? Actor,
    string? Action,
    string? TargetType,
    string? TargetId,
    string? Subject,
    string? Outcome,
    string? Ip);

/// <summary>Newest first, cursor paging by id (stable while rows are appended).</summary>
public sealed class AuditSearch(DbConnectionFactory connections)
{
    public async Task<IReadOnlyList<AuditRow>> SearchAsync(AuditFilter filter, long? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {AuditRow.Columns} FROM audit_log WHERE occurred_at >= @FromUtc AND occurred_at < @ToUtc");
        var parameters = new DynamicParameters(filter);
        Add(sql, filter.Actor, "actor_login");
        Add(sql, filter.Action, "action");
        Add(sql, filter.TargetType, "target_type");
        Add(sql, filter.TargetId, "target_id");
        Add(sql, filter.Subject, "subject");
        Add(sql, filter.Outcome, "outcome");
        Add(sql, filter.Ip, "source_ip");
        if (beforeId is not null)
        {
            sql.Append(" AND id < @beforeId");
            parameters.Add("beforeId", beforeId);
        }

        sql.Append(" ORDER BY id DESC LIMIT @limit");
        parameters.Add("limit", limit);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken))).AsList();
    }

    private static void Add(StringBuilder sql, string? value, string column)
    {
        if (!string.IsNullOrEmpty(value))
        {
            var parameter = column switch
            {
                "actor_login" => "Actor",
                "action" => "Action",
                "target_type" => "TargetType",
                "target_id" => "TargetId",
                "subject" => "Subject",
                "outcome" => "Outcome",
                _ => "Ip",
            };
            sql.Append($" AND {column} = @{parameter}");
        }
    }
}
