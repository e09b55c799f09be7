using System.Globalization;
using System.Text.Json;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Campaigns;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Downloads;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Exports;

public sealed record ExportView(
    long Id, string Kind, string KindLabel, string FileName, string Status, string StatusLabel, bool Unmasked, int? RowCount,
    string RequestedAt, string? ReadyAt, string? ExpiresAt, bool Downloadable);

/// <summary>The request, 다운로드 내역 and download steps behind <see cref="ExportEndpoints"/>.</summary>
public sealed class ExportRequests(ExportStore store, ExportGenerator generator, CampaignDetailWorkbook detail, ExportOptions options, AuditTrail audit, TimeProvider time)
{
    public const int HistoryDays = 7;
    public const int HistoryLimit = 30;

    public async Task<IResult> RequestListAsync(CampaignListQuery query, HttpContext http, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var filters = ExportFilters.Serialize(query);
        var details = FilterDetails(filters);
        details["kind"] = ExportStatus.KindList;
        details["masked"] = "true";
        var name = ExportFileNames.List(Now(), unmasked: false);
        details["file"] = name;
        var entry = actor.Entry(ExportEndpoints.RequestedAction) with { TargetType = "export", Subject = "발송조회", Details = details };
        return await CreateAsync(new ExportStore.NewExport(ExportStatus.KindList, null, filters, false, null, actor.UserId!.Value, name), entry, inline: options.InlineRows > 0, ct);
    }

    public async Task<IResult> RequestDetailAsync(long campaignId, string? unmaskReason, HttpContext http, CancellationToken ct)
    {
        var campaign = await detail.HeaderAsync(campaignId, ct);
        if (campaign is null)
        {
            return ApiProblem.NotFound("발송 건을 찾을 수 없습니다.").ToResult();
        }

        var actor = AuditActor.From(http);
        var unmasked = unmaskReason is not null;
        var name = ExportFileNames.Detail(campaign.CampaignNo ?? campaignId.ToString(CultureInfo.InvariantCulture), Now(), unmasked);
        var entry = actor.Entry(ExportEndpoints.RequestedAction) with
        {
            TargetType = "export",
            Subject = CampaignDetailWorkbook.Subject(campaign, campaign.RecipientCount),
            Reason = unmaskReason,
            Details = new Dictionary<string, string?>
            {
                ["kind"] = ExportStatus.KindDetail,
                ["campaign"] = campaignId.ToString(CultureInfo.InvariantCulture),
                ["rows"] = ExportEndpoints.Count(campaign.RecipientCount),
                ["masked"] = unmasked ? "false" : "true",
                ["file"] = name,
            },
        };
        var export = new ExportStore.NewExport(ExportStatus.KindDetail, campaignId, null, unmasked, unmaskReason, actor.UserId!.Value, name);
        return await CreateAsync(export, entry, inline: campaign.RecipientCount <= options.InlineRows, ct);
    }

    public async Task<IResult> MineAsync(HttpContext http, CancellationToken ct)
    {
        var userId = AuditActor.From(http).UserId!.Value;
        var now = Now();
        return Results.Ok((await store.MineAsync(userId, HistoryDays, HistoryLimit, ct)).Select(e => View(e, now)).ToList());
    }

    public async Task<IResult> DownloadAsync(long id, HttpContext http, CancellationToken ct)
    {
        var actor = AuditActor.From(http);
        var export = await store.FindAsync(id, ct);
        if (export is null)
        {
            return ApiProblem.NotFound("다운로드 내역을 찾을 수 없습니다.").ToResult();
        }

        if (export.RequestedBy != actor.UserId)
        {
            await audit.WriteAsync(actor.Entry(Downloaded(export), AuditOutcome.Denied) with { TargetType = "export", TargetId = Id(export), Reason = "not_requester" }, ct);
            return new ApiProblem(StatusCodes.Status403Forbidden, "export_not_yours", "Forbidden", "본인이 요청한 파일만 내려받을 수 있습니다.").ToResult();
        }

        var status = ExportStatus.Effective(export.Status, export.ExpiresAt, Now());
        var path = export.FilePath is null ? null : Path.Combine(generator.Root, export.FilePath);
        switch (status)
        {
            case ExportStatus.Requested or ExportStatus.Generating:
                return ApiProblem.Conflict("export_not_ready", "파일을 만드는 중입니다. 잠시 후 다시 시도하세요.").ToResult();
            case ExportStatus.Failed:
                return ApiProblem.Conflict("export_failed", "파일을 만들지 못했습니다. 다시 요청하세요.").ToResult();
            case ExportStatus.Expired:
                return Gone();
        }

        if (path is null || !File.Exists(path))
        {
            return Gone();
        }

        var details = FilterDetails(export.Filters);
        details["export"] = Id(export);
        details["rows"] = ExportEndpoints.Count(export.RowCount ?? 0);
        details["masked"] = export.Unmasked ? "false" : "true";
        details["file"] = export.FileName;
        await audit.WriteAsync(actor.Entry(Downloaded(export)) with
        {
            TargetType = export.CampaignId is null ? "campaign_list" : "campaign",
            TargetId = export.CampaignId?.ToString(CultureInfo.InvariantCulture),
            Subject = export.CampaignId is null ? "발송조회" : $"캠페인 #{export.CampaignId} ({export.RowCount}명)",
            Reason = export.Reason,
            Details = details,
        }, ct);
        return Results.File(path, ExportEndpoints.XlsxContentType, export.FileName);
    }

    private async Task<IResult> CreateAsync(ExportStore.NewExport export, AuditEntry entry, bool inline, CancellationToken ct)
    {
        if (await store.CreateAsync(export, entry, ct) is not { } id)
        {
            return ApiProblem.Conflict("too_many_exports", $"만들고 있는 파일이 {options.MaxPendingPerUser}개 있습니다. 완료된 뒤 다시 요청하세요.").ToResult();
        }

        if (inline)
        {
            // Small: written now, so the answer is already 완료; the record and its audit are the same as for the job's.
            await generator.TryGenerateAsync(id, ct);
        }

        var stored = await store.FindAsync(id, ct);
        return Results.Json(View(stored!, Now()), statusCode: StatusCodes.Status202Accepted);
    }

    public static ExportView View(ExportRecord e, DateTime nowUtc)
    {
        var status = ExportStatus.Effective(e.Status, e.ExpiresAt, nowUtc);
        return new ExportView(
            e.Id, e.Kind, e.Kind == ExportStatus.KindDetail ? "발송상세" : "발송조회", e.FileName, status, ExportStatus.Label(status), e.Unmasked, e.RowCount,
            Kst.FormatMinute(e.RequestedAt), e.ReadyAt is { } r ? Kst.FormatMinute(r) : null, e.ExpiresAt is { } x ? Kst.FormatMinute(x) : null,
            status == ExportStatus.Ready);
    }

    private static Dictionary<string, string?> FilterDetails(string? filters) =>
        (filters is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(filters) ?? [])
            .ToDictionary(kv => "filter." + kv.Key, kv => kv.Value);

    private static string Downloaded(ExportRecord export) =>
        export.Kind == ExportStatus.KindDetail ? ExportEndpoints.DetailDownloadedAction : ExportEndpoints.ListDownloadedAction;

    private static string Id(ExportRecord export) => export.Id.ToString(CultureInfo.InvariantCulture);

    private static IResult Gone() =>
        new ApiProblem(StatusCodes.Status410Gone, "export_expired", "Gone", ExportStatus.ExpiredMessage).ToResult();

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
