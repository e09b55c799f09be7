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
    /// <summary>The column sorted by (spec §3.3.2: 발송일시 by default); see <see cref="CampaignListSort"/>.</summary>
    public CampaignListSort Sort { get; init; } = CampaignListSort.SendAt;

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

        var sortKey = sort is { Length: > 0 } ? CampaignListSort.Find(sort) : CampaignListSort.SendAt;
        if (sortKey is null)
        {
            errors["sort"] = CampaignListSort.UnknownMessage;
            sortKey = CampaignListSort.SendAt;
        }

        if (direction is { Length: > 0 } && direction is not ("asc" or "desc"))
        {
            errors["direction"] = "정렬 방향은 asc 또는 desc입니다.";
        }

        CampaignListCursor? parsedCursor = null;
        if (!string.IsNullOrEmpty(cursor) && !CampaignListCursor.TryParse(cursor, sortKey, out parsedCursor))
        {
            errors["cursor"] = "잘못된 페이지 위치입니다.";
        }

        return errors.Count > 0
            ? null
            : new CampaignListQuery(fromDate, toDate, NullIfEmpty(clientName), NullIfEmpty(eventName), statuses, direction == "asc", parsedCursor) { Sort = sortKey };
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
        var key = Sort.Expression;
        if (Cursor is { } c)
        {
            sql.Add($"({key} {op} @cursorValue OR ({key} = @cursorValue AND id {op} @cursorId))");
            args.Add("cursorValue", c.Value);
            args.Add("cursorId", c.Id);
        }

        args.Add("take", take);
        var dir = Ascending ? "ASC" : "DESC";
        await using var connection = await connections.OpenAsync(ct);
        return (await connection.QueryAsync<CampaignListRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, campaign_no AS CampaignNo, status AS Status, client_name AS ClientName, sales_manager AS SalesManager, event_name AS EventName,
                   product_name AS ProductName, COALESCE(scheduled_at, start_at) AS SendAtUtc, COALESCE(scheduled_at, start_at, created_at) AS SendKeyUtc,
                   recipient_count AS RecipientCount, list_price AS ListPrice, validity_type AS ValidityType, validity_end AS ValidityEnd
            FROM campaigns WHERE {string.Join(" AND ", sql)}
            ORDER BY {key} {dir}, id {dir} LIMIT @take
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
        ["sort"] = Sort.Name,
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
    DateTime? SendAtUtc, DateTime SendKeyUtc, int RecipientCount, int? ListPrice, string? ValidityType, DateTime ValidityEnd)
{
    /// <summary>유효기간 (spec §3.3.2), or null while the product's validity is unknown (<see cref="CampaignValidityEnd.Unknown"/>).</summary>
    public DateOnly? ValidUntil => CampaignValidityEnd.FromKey(ValidityEnd);

    /// <summary>Type D before issuance: send date + N days is an estimate (spec §3.3.2 "예상").</summary>
    public bool ValidUntilEstimated => ValidUntil is not null && ValidityType == "D" && Status is CampaignStatus.Draft or CampaignStatus.Scheduled;
}

/// <summary>
/// Keyset position: the sort column's value of the last row and its id. 발송일시 keeps its original text form
/// <c>ticks-id</c>; the other columns are <c>base64url(value)~id</c> (numbers, dates as <c>yyyy-MM-dd</c> and text alike, read
/// back by the sort's kind).
/// </summary>
public sealed record CampaignListCursor(object Value, long Id, CampaignListSort Sort)
{
    public override string ToString() => Sort == CampaignListSort.SendAt
        ? string.Create(CultureInfo.InvariantCulture, $"{((DateTime)Value).Ticks}-{Id}")
        : $"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ValueText())).TrimEnd('=').Replace('+', '-').Replace('/', '_')}~{Id.ToString(CultureInfo.InvariantCulture)}";

    private string ValueText() => Value is DateTime date
        ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : Convert.ToString(Value, CultureInfo.InvariantCulture)!;

    public static CampaignListCursor From(CampaignListRow row, CampaignListSort sort) => new(sort.ValueOf(row), row.Id, sort);

    public static bool TryParse(string text, CampaignListSort sort, out CampaignListCursor? cursor)
    {
        cursor = null;
        if (text.Length > 200)
        {
            return false;
        }

        var parts = text.Split(sort == CampaignListSort.SendAt ? '-' : '~');
        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return false;
        }

        if (sort == CampaignListSort.SendAt)
        {
            if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks)
            {
                return false;
            }

            cursor = new CampaignListCursor(new DateTime(ticks, DateTimeKind.Utc), id, sort);
            return true;
        }

        string value;
        try
        {
            var b64 = parts[0].Replace('-', '+').Replace('_', '/');
            value = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=')));
        }
        catch (FormatException)
        {
            return false;
        }

        if (sort.Kind == CampaignListSortKind.Number)
        {
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            cursor = new CampaignListCursor(number, id, sort);
            return true;
        }

        if (sort.Kind == CampaignListSortKind.Date)
        {
            if (!DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return false;
            }

            cursor = new CampaignListCursor(date, id, sort);
            return true;
        }

        cursor = new CampaignListCursor(value, id, sort);
        return true;
    }
}

/// <summary>
/// The sortable columns of 발송조회 (spec §3.3.2): the SQL key (NULLs folded so the keyset stays total, the id breaks
/// ties) and the same value read from a row for the next cursor. 발송상태 sorts in the order of the campaign's life
/// (§4.1), not by its code. 유효기간 sorts by the generated, indexed column <c>validity_end</c> (see
/// <see cref="CampaignValidityEnd"/>; unknown validity is its lowest value, so first ascending and last descending).
/// </summary>
public sealed class CampaignListSort
{
    public const string UnknownMessage = "정렬할 수 없는 항목입니다. (발송일시, 유효기간, 고객사, 이벤트명, 상품명, 수량, 정상단가, 합계, 발송상태)";

    private static readonly string[] StatusOrder =
        ["DRAFT", "SCHEDULED", "ISSUING", "SENDING", "PAUSED", "ERROR", "CANCELLING", "CANCELLED", "COMPLETED", "PARTIALLY_FAILED", "FAILED"];

    public static readonly CampaignListSort SendAt = new("sendAt", "COALESCE(scheduled_at, start_at, created_at)", CampaignListSortKind.Ticks, r => DateTime.SpecifyKind(r.SendKeyUtc, DateTimeKind.Utc));

    private static readonly CampaignListSort[] All =
    [
        SendAt,
        new("validUntil", "validity_end", CampaignListSortKind.Date, r => r.ValidityEnd.Date),
        new("clientName", "client_name", CampaignListSortKind.Text, r => r.ClientName),
        new("eventName", "event_name", CampaignListSortKind.Text, r => r.EventName),
        new("productName", "COALESCE(product_name, '')", CampaignListSortKind.Text, r => r.ProductName ?? ""),
        new("quantity", "recipient_count", CampaignListSortKind.Number, r => (long)r.RecipientCount),
        new("listPrice", "COALESCE(list_price, -1)", CampaignListSortKind.Number, r => (long)(r.ListPrice ?? -1)),
        new("total", "(COALESCE(list_price, 0) * recipient_count)", CampaignListSortKind.Number, r => (long)(r.ListPrice ?? 0) * r.RecipientCount),
        new("status", $"FIELD(status, {string.Join(", ", StatusOrder.Select(s => $"'{s}'"))})", CampaignListSortKind.Number, r => (long)(Array.IndexOf(StatusOrder, r.Status) + 1)),
    ];

    private CampaignListSort(string name, string expression, CampaignListSortKind kind, Func<CampaignListRow, object> valueOf)
    {
        Name = name;
        Expression = expression;
        Kind = kind;
        ValueOf = valueOf;
    }

    public string Name { get; }

    /// <summary>SQL of the key: a fixed expression of this class, never text from the request.</summary>
    public string Expression { get; }

    /// <summary>How the cursor's value is written and read back (발송일시 has its own form).</summary>
    public CampaignListSortKind Kind { get; }

    public Func<CampaignListRow, object> ValueOf { get; }

    public static CampaignListSort? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}

/// <summary>The type of a sort key's value in the cursor.</summary>
public enum CampaignListSortKind
{
    /// <summary>발송일시: UTC ticks, the cursor's original form.</summary>
    Ticks,
    Text,
    Number,
    Date,
}
