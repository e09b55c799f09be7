using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Downloads;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Exports;

public sealed record UnmaskedExportRequest(string? Reason);

/// <summary>
/// Excel exports of 발송조회 (spec §3.3.4), generated synchronously for now (decision D-DETAIL-5): the list with its filters
/// (P18), one campaign's 발송상세 masked (P18) and, for an ADMIN with a reason, unmasked (P20). Every download is an audit
/// event with its filters, row count, masking and reason.
/// </summary>
public sealed class ExportEndpoints : IEndpointModule
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const int MaxReasonLength = 200;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns").WithTags("Exports");
        group.MapGet("/export", ListAsync).RequireAuthorization(Policies.DownloadMasked);
        group.MapGet("/{id:long}/export", (long id, HttpContext http, CampaignDetailWorkbook workbook, AuditTrail audit, TimeProvider time, CancellationToken ct) =>
            DetailAsync(id, null, http, workbook, audit, time, ct)).RequireAuthorization(Policies.DownloadMasked);
        group.MapPost("/{id:long}/export/unmasked", (long id, UnmaskedExportRequest? body, HttpContext http, CampaignDetailWorkbook workbook, AuditTrail audit, TimeProvider time, CancellationToken ct) =>
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
                : DetailAsync(id, reason, http, workbook, audit, time, ct);
        }).RequireAuthorization(Policies.DownloadUnmasked);
    }

    private static async Task<IResult> DetailAsync(
        long id, string? unmaskReason, HttpContext http, CampaignDetailWorkbook workbook, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var campaign = await workbook.HeaderAsync(id, ct);
        if (campaign is null)
        {
            return ApiProblem.NotFound("발송 건을 찾을 수 없습니다.").ToResult();
        }

        var unmasked = unmaskReason is not null;
        var output = new MemoryStream();
        var rows = await workbook.WriteAsync(campaign, unmasked, output, ct);
        var name = ExportFileNames.Detail(campaign.CampaignNo ?? id.ToString(CultureInfo.InvariantCulture), time.GetUtcNow().UtcDateTime, unmasked);
        await audit.WriteAsync(AuditActor.From(http).Entry("export.campaign_detail") with
        {
            TargetType = "campaign",
            TargetId = id.ToString(CultureInfo.InvariantCulture),
            Subject = CampaignDetailWorkbook.Subject(campaign, rows),
            Reason = unmaskReason,
            Details = new Dictionary<string, string?>
            {
                ["rows"] = rows.ToString(CultureInfo.InvariantCulture),
                ["masked"] = unmasked ? "false" : "true",
                ["file"] = name,
            },
        }, ct);
        output.Position = 0;
        return Results.File(output, XlsxContentType, name);
    }

    private static async Task<IResult> ListAsync(
        string? from, string? to, string? clientName, string? eventName, string? status, string? sort, string? direction,
        HttpContext http, CampaignListWorkbook workbook, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var query = CampaignListQuery.Parse(from, to, clientName, eventName, status, sort, direction, null, errors);
        if (query is null)
        {
            return ApiProblem.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value })).ToResult();
        }

        var output = new MemoryStream();
        var rows = await workbook.WriteAsync(query, output, ct);
        var name = ExportFileNames.List(time.GetUtcNow().UtcDateTime, unmasked: false);
        var details = query.Describe().Where(kv => kv.Value is not null).ToDictionary(kv => "filter." + kv.Key, kv => kv.Value);
        details["rows"] = rows.ToString(CultureInfo.InvariantCulture);
        details["masked"] = "true";
        details["file"] = name;
        await audit.WriteAsync(AuditActor.From(http).Entry("export.campaign_list") with { TargetType = "campaign_list", Details = details }, ct);
        output.Position = 0;
        return Results.File(output, XlsxContentType, name);
    }
}
