using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// The filters and order of 발송조회 (spec §3.3.1/§3.3.2), parsed once and used by the list and its Excel export.
/// Order: 발송일시 = COALESCE(scheduled_at, start_at, created_at), then id; the cursor carries both (<c>{ticks}-{id}</c>),
/// so keyset paging stays exact in either direction.
/// </summary>
public sealed record CampaignListQuery(
    DateOnly? From, DateOnly? To, string? ClientName, string? EventName, IReadOnlyList<string> Statuses, bool Ascending, CampaignListCursor? Cursor)
{
    public const int MaxLimit = 100;

    public static CampaignListQuery? Parse(
        string? from, string? to, string? clientName, string? eventName, string? status, string? sort, string? direction, string? cursor, Dictionary<string, string> errors)
    {
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

        if (sort is { Length: > 0 } && sort != "sendAt")
        {
            errors["sort"] = "발송일시로만 정렬할 수 있습니다.";
        }

        if (direction is { Length: > 0 } && direction is not ("asc" or "desc"))
        {
            errors["direction"] = "정렬 방향은 asc 또는 desc입니다.";
        }

        CampaignListCursor? parsedCursor = null;
        if (!string.IsNullOrEmpty(cursor) && !CampaignListCursor.TryParse(cursor, out parsedCursor))
        {
            errors["cursor"] = "잘못된 페이지 위치입니다.";
        }

        return errors.Count > 0
            ? null
            : new CampaignListQuery(fromDate, toDate, NullIfEmpty(clientName), NullIfEmpty(eventName), statuses, direction == "asc", parsedCursor);
    }

    /// <summary>At most <paramref name="take"/> rows after the cursor, in the requested order.</summary>
    public async Task<List<CampaignListRow>> ReadAsync(DbConnectionFactory connections, int take, CancellationToken ct)
    {
        var sql = new List<string> { "deleted_at IS NULL" };
        var args = new DynamicParameters();
        if (From is { } fd)
        {
            sql.Add("COALESCE(scheduled_at, start_at, created_at) >= @fromUtc");
            args.Add("fromUtc", Kst.ToUtc(fd.ToDateTime(TimeOnly.MinValue)));
        }

        if (To is { } td)
        {
            sql.Add("COALESCE(scheduled_at, start_at, created_at) < @toUtc");
            args.Add("toUtc", Kst.ToUtc(td.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        }

        if (ClientName is not null)
        {
            sql.Add("client_name LIKE @client ESCAPE '!'");
            args.Add("client", Contains(ClientName));
        }

        if (EventName is not null)
        {
            sql.Add("event_name LIKE @event ESCAPE '!'");
            args.Add("event", Contains(EventName));
        }

        if (Statuses.Count > 0)
        {
            sql.Add("status IN @statuses");
            args.Add("statuses", Statuses);
        }

        var op = Ascending ? ">" : "<";
        if (Cursor is { } c)
        {
            sql.Add($"(COALESCE(scheduled_at, start_at, created_at) {op} @cursorAt OR (COALESCE(scheduled_at, start_at, created_at) = @cursorAt AND id {op} @cursorId))");
            args.Add("cursorAt", c.SendKeyUtc);
            args.Add("cursorId", c.Id);
        }

        args.Add("take", take);
        var dir = Ascending ? "ASC" : "DESC";
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<CampaignListRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, campaign_no AS CampaignNo, status AS Status, client_name AS ClientName, sales_manager AS SalesManager, event_name AS EventName,
                   product_name AS ProductName, COALESCE(scheduled_at, start_at) AS SendAtUtc, COALESCE(scheduled_at, start_at, created_at) AS SendKeyUtc,
                   recipient_count AS RecipientCount, list_price AS ListPrice
            FROM campaigns WHERE {string.Join(" AND ", sql)}
            ORDER BY COALESCE(scheduled_at, start_at, created_at) {dir}, id {dir} LIMIT @take
            """, args, cancellationToken: ct))).ToList();
    }

    /// <summary>The filters as text for the audit record of an export (no personal data in them).</summary>
    public IReadOnlyDictionary<string, string?> Describe() => new Dictionary<string, string?>
    {
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["clientName"] = ClientName,
        ["eventName"] = EventName,
        ["status"] = Statuses.Count > 0 ? string.Join(',', Statuses) : null,
        ["direction"] = Ascending ? "asc" : "desc",
    };

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

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Contains(string text) => "%" + text.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%";
}

/// <summary>A row of the list as read; the endpoint and the export shape it.</summary>
public sealed record CampaignListRow(
    long Id, string? CampaignNo, string Status, string ClientName, string? SalesManager, string EventName, string? ProductName,
    DateTime? SendAtUtc, DateTime SendKeyUtc, int RecipientCount, int? ListPrice);

/// <summary>Keyset position: the 발송일시 sort key (UTC ticks) and the id of the last row shown.</summary>
public sealed record CampaignListCursor(DateTime SendKeyUtc, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SendKeyUtc.Ticks}-{Id}");

    public static CampaignListCursor From(CampaignListRow row) => new(DateTime.SpecifyKind(row.SendKeyUtc, DateTimeKind.Utc), row.Id);

    public static bool TryParse(string text, out CampaignListCursor? cursor)
    {
        cursor = null;
        var parts = text.Split('-');
        if (text.Length > 40 || parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return false;
        }

        cursor = new CampaignListCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
