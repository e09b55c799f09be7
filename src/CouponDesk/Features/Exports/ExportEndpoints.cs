using System.Globalization;
using CouponDesk.Features.Campaigns;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Exports;

public sealed record UnmaskedExportRequest(string? Reason);

/// <summary>
/// Excel exports of 발송조회 (spec §3.3.4, §4.8; decision D-EXP-1): a request stores an export record (audited with
/// its filters, masking and reason) and the file is written in the background — small ones at once, in the request —
/// then listed under 다운로드 내역 and downloadable by its requester for 24 hours (each download audited with the row
/// count). Kinds: the list with its filters (P18), one campaign's 발송상세 masked (P18) and unmasked (P20, with a reason).
/// </summary>
public sealed class ExportEndpoints : IEndpointModule
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const int MaxReasonLength = 200;
    public const string RequestedAction = "export.requested";
    public const string ListDownloadedAction = "export.campaign_list";
    public const string DetailDownloadedAction = "export.campaign_detail";

    public void Map(IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").WithTags("Exports");
        campaigns.MapPost("/export", RequestListAsync).RequireAuthorization(Policies.DownloadMasked);
        campaigns.MapPost("/{id:long}/export", (long id, HttpContext http, ExportRequests requests, CancellationToken ct) =>
            requests.RequestDetailAsync(id, null, http, ct)).RequireAuthorization(Policies.DownloadMasked);
        campaigns.MapPost("/{id:long}/export/unmasked", (long id, UnmaskedExportRequest? body, HttpContext http, ExportRequests requests, CancellationToken ct) =>
        {
            var reason = body?.Reason?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                return Task.FromResult(ApiProblem.Validation("reason", "마스킹 해제 사유를 입력하세요.").ToResult());
            }

            if (reason.Length > MaxReasonLength)
            {
                return Task.FromResult(ApiProblem.Validation("reason", $"사유는 {MaxReasonLength}자까지 입력할 수 있습니다.").ToResult());
            }

            return Web.Validation.FreeText.Check(reason, "마스킹 해제 사유") is { } bad
                ? Task.FromResult(ApiProblem.Validation("reason", bad).ToResult())
                : requests.RequestDetailAsync(id, reason, http, ct);
        }).RequireAuthorization(Policies.DownloadUnmasked);

        var exports = app.MapGroup("/api/exports").WithTags("Exports").RequireAuthorization(Policies.DownloadMasked);
        exports.MapGet("", (HttpContext http, ExportRequests requests, CancellationToken ct) => requests.MineAsync(http, ct));
        exports.MapGet("/{id:long}/file", (long id, HttpContext http, ExportRequests requests, CancellationToken ct) => requests.DownloadAsync(id, http, ct));
    }

    private static Task<IResult> RequestListAsync(
        string? from, string? to, string? clientName, string? eventName, string? status, string? sort, string? direction,
        HttpContext http, ExportRequests requests, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var query = CampaignListQuery.Parse(from, to, clientName, eventName, status, sort, direction, null, errors);
        return query is null
            ? Task.FromResult(ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value })).ToResult())
            : requests.RequestListAsync(query, http, ct);
    }

    public static string Count(int rows) => rows.ToString(CultureInfo.InvariantCulture);
}
