using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Campaigns;

public sealed record CampaignListItem(
    long Id, string? CampaignNo, string Status, string StatusLabel, string ClientName, string EventName, string? ProductName,
    string? SendAt, DateTime? SendAtUtc, int RecipientCount, int? ListPrice, long? Total, string? ValidUntil, bool ValidUntilEstimated);

public sealed record CampaignListResponse(IReadOnlyList<CampaignListItem> Items, string? NextCursor);

/// <summary>
/// 발송조회 list (spec §3.3.1/§3.3.2), read-only: filters 발송일 (KST dates, at most one year), 고객사, 이벤트명 (contains),
/// 상태 (comma-separated); ordered by <c>sort</c> (발송일시 by default, see <see cref="CampaignListSort"/>) and
/// <c>direction</c> (desc by default, or <c>asc</c>), keyset paging
/// <c>?cursor=&lt;nextCursor&gt;&amp;limit=50</c> (see <see cref="CampaignListQuery"/>).
/// </summary>
public sealed class CampaignListEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/campaigns").WithTags("Campaigns").MapGet("", ListAsync).RequireAuthorization(Policies.ViewCampaigns);

    private static async Task<IResult> ListAsync(
        string? from, string? to, string? clientName, string? eventName, string? status, string? sort, string? direction, string? cursor, int? limit,
        DbConnectionFactory connections, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var query = CampaignListQuery.Parse(from, to, clientName, eventName, status, sort, direction, cursor, errors);
        if (limit is < 1 or > CampaignListQuery.MaxLimit)
        {
            errors["limit"] = KeysetPage.LimitMessage(CampaignListQuery.MaxLimit);
        }

        if (query is null || errors.Count > 0)
        {
            return ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value })).ToResult();
        }

        var take = limit ?? 50;
        var rows = await query.ReadAsync(connections, take + 1, ct);
        var page = rows.Take(take).Select(r => new CampaignListItem(
            r.Id, r.CampaignNo, r.Status, CampaignStatus.Label(r.Status), r.ClientName, r.EventName, r.ProductName,
            r.SendAtUtc is { } at ? Kst.FormatMinute(at) : null, r.SendAtUtc, r.RecipientCount, r.ListPrice,
            r.ListPrice is { } price ? (long)price * r.RecipientCount : null,
            r.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.ValidUntilEstimated)).ToList();
        return Results.Ok(new CampaignListResponse(page, rows.Count > take ? CampaignListCursor.From(rows[take - 1], query.Sort).ToString() : null));
    }
}
