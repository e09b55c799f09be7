using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;
using Dapper;

namespace CouponDesk.Features.Campaigns;

public sealed record CampaignListItem(
    long Id, string? CampaignNo, string Status, string StatusLabel, string ClientName, string EventName, string? ProductName,
    string? SendAt, DateTime? SendAtUtc, int RecipientCount, int? ListPrice, long? Total);

public sealed record CampaignListResponse(IReadOnlyList<CampaignListItem> Items, long? NextCursor);

/// <summary>
/// 발송조회 list (spec §3.3.1/§3.3.2), read-only: filters 발송일 (KST dates, at most one year), 고객사, 이벤트명 (contains),
/// 상태 (comma-separated); newest first by id, keyset paging <c>?cursor=&lt;last id&gt;&amp;limit=50</c>.
/// </summary>
public sealed class CampaignListEndpoints : IEndpointModule
{
    private const int MaxLimit = 100;

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/campaigns").WithTags("Campaigns").MapGet("", ListAsync).RequireAuthorization(Policies.ViewCampaigns);

    private static async Task<IResult> ListAsync(
        string? from, string? to, string? clientName, string? eventName, string? status, long? cursor, int? limit, DbConnectionFactory connections, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (fromDate is { } f && toDate is { } t)
        {
            if (t < f)
            {
                errors["to"] = "종료일은 시작일 이후여야 합니다.";
            }
            else if (t > f.AddYears(1))
            {
                errors["to"] = "조회 기간은 최대 1년입니다.";
            }
        }

        clientName = clientName?.Trim();
        eventName = eventName?.Trim();
        if (clientName is { Length: > 30 })
        {
            errors["clientName"] = "고객사는 30자까지 입력할 수 있습니다.";
        }

        if (eventName is { Length: > 50 })
        {
            errors["eventName"] = "이벤트명은 50자까지 입력할 수 있습니다.";
        }

        var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (statuses.Any(s => CampaignStatus.Label(s) == s))
        {
            errors["status"] = "알 수 없는 발송상태입니다.";
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = $"한 번에 1~{MaxLimit}건까지 조회할 수 있습니다.";
        }

        if (cursor is < 0)
        {
            errors["cursor"] = "잘못된 페이지 위치입니다.";
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value })).ToResult();
        }

        var take = limit ?? 50;
        var sql = new List<string> { "deleted_at IS NULL" };
        var args = new DynamicParameters();
        if (fromDate is { } fd)
        {
            sql.Add("COALESCE(scheduled_at, start_at, created_at) >= @fromUtc");
            args.Add("fromUtc", Kst.ToUtc(fd.ToDateTime(TimeOnly.MinValue)));
        }

        if (toDate is { } td)
        {
            sql.Add("COALESCE(scheduled_at, start_at, created_at) < @toUtc");
            args.Add("toUtc", Kst.ToUtc(td.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        }

        if (!string.IsNullOrEmpty(clientName))
        {
            sql.Add("client_name LIKE @client ESCAPE '!'");
            args.Add("client", Contains(clientName));
        }

        if (!string.IsNullOrEmpty(eventName))
        {
            sql.Add("event_name LIKE @event ESCAPE '!'");
            args.Add("event", Contains(eventName));
        }

        if (statuses.Length > 0)
        {
            sql.Add("status IN @statuses");
            args.Add("statuses", statuses);
        }

        if (cursor is { } c)
        {
            sql.Add("id < @cursor");
            args.Add("cursor", c);
        }

        args.Add("take", take + 1);
        await using var connection = await connections.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT id AS Id, campaign_no AS CampaignNo, status AS Status, client_name AS ClientName, event_name AS EventName,
                   product_name AS ProductName, COALESCE(scheduled_at, start_at) AS SendAtUtc, recipient_count AS RecipientCount, list_price AS ListPrice
            FROM campaigns WHERE {string.Join(" AND ", sql)} ORDER BY id DESC LIMIT @take
            """, args, cancellationToken: ct))).ToList();
        var page = rows.Take(take).Select(r => new CampaignListItem(
            r.Id, r.CampaignNo, r.Status, CampaignStatus.Label(r.Status), r.ClientName, r.EventName, r.ProductName,
            r.SendAtUtc is { } at ? Kst.FormatMinute(at) : null, r.SendAtUtc, r.RecipientCount, r.ListPrice,
            r.ListPrice is { } price ? (long)price * r.RecipientCount : null)).ToList();
        return Results.Ok(new CampaignListResponse(page, rows.Count > take ? page[^1].Id : null));
    }

    private static DateOnly? ParseDate(string? text, string field, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.";
        return null;
    }

    private static string Contains(string text) => "%" + text.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%";

    private sealed record Row(long Id, string? CampaignNo, string Status, string ClientName, string EventName, string? ProductName, DateTime? SendAtUtc, int RecipientCount, int? ListPrice);
}
