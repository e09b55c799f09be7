using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Downloads;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// 수신자 정보 등록 (spec §3.2.3): upload or quick entry → a staged list with its errors → accept (atomic replacement of
/// the draft's list) or discard. The upload body is the file itself (any content type), its name in <c>fileName</c>.
/// </summary>
public sealed class RecipientEndpoints : IEndpointModule
{
    private const int PreviewRows = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recipient-lists/template", () =>
                Results.File(RecipientFiles.Template(), RecipientFiles.XlsxContentType, ExportFileNames.RecipientTemplate))
            .RequireAuthorization(Policies.RegisterCampaign)
            .WithTags("Recipients");

        var lists = app.MapGroup("/api/campaigns/{campaignId:long}/recipient-lists").WithTags("Recipients");
        lists.MapPost("", UploadAsync).RequireAuthorization(Policies.RegisterCampaign);
        // Kestrel enforces this while the JSON is read (100 numbers need a few KB).
        lists.MapPost("/quick", QuickEntryAsync).RequireAuthorization(Policies.RegisterCampaign).WithMetadata(new RequestSizeLimitAttribute(64 * 1024));
        lists.MapGet("/{listId:long}", GetAsync).RequireAuthorization(Policies.RegisterCampaign);
        lists.MapGet("/{listId:long}/errors", DownloadErrorsAsync).RequireAuthorization(Policies.DownloadUploadErrors);
        lists.MapPost("/{listId:long}/accept", AcceptAsync).RequireAuthorization(Policies.RegisterCampaign);
        lists.MapDelete("/{listId:long}", DiscardAsync).RequireAuthorization(Policies.RegisterCampaign);

        app.MapGet("/api/campaigns/{campaignId:long}/recipients", ListAcceptedAsync)
            .RequireAuthorization(Policies.ViewCampaigns)
            .WithTags("Recipients");
    }

    private static async Task<IResult> UploadAsync(
        long campaignId, string? fileName, HttpContext http, RecipientUploadReader reader, RecipientListStore store, ICampaignAudit audit, CancellationToken cancellationToken)
    {
        try
        {
            if (await CheckDraftAsync(store, campaignId, cancellationToken) is { } refused)
            {
                return refused;
            }

            if (string.IsNullOrWhiteSpace(fileName))
            {
                return UploadProblems.FileNameRequired().ToResult();
            }

            // A name like "명단\u202Evsc.xlsx" shows as something else than it is (and it is stored and shown again).
            if (Web.Validation.FreeText.Check(fileName, "파일 이름") is { } badName)
            {
                return ApiProblem.Validation("fileName", badName).ToResult();
            }

            using var content = await reader.ReadBodyAsync(http.Request, cancellationToken);
            var parsed = reader.Parse(fileName, content, out var kind);
            var safeName = Path.GetFileName(fileName.Trim());
            return await StageAsync(campaignId, kind == UploadKind.Xlsx ? "XLSX" : "CSV", safeName[..Math.Min(safeName.Length, 255)], parsed, http, store, audit, cancellationToken);
        }
        catch (RecipientUploadException refused)
        {
            return refused.Problem.ToResult();
        }
    }

    private static async Task<IResult> QuickEntryAsync(
        long campaignId, QuickEntryRequest request, HttpContext http, RecipientListStore store, RecipientOptions options, ICampaignAudit audit, CancellationToken cancellationToken)
    {
        try
        {
            if (await CheckDraftAsync(store, campaignId, cancellationToken) is { } refused)
            {
                return refused;
            }

            var lines = request.Lines ?? [];
            if (lines.Count(l => !string.IsNullOrWhiteSpace(l)) > options.MaxQuickEntryRows)
            {
                return UploadProblems.TooManyQuickEntryRows(options.MaxQuickEntryRows).ToResult();
            }

            var parsed = new RecipientListBuilder(options.MaxQuickEntryRows).BuildQuickEntry(lines);
            return await StageAsync(campaignId, "QUICK", null, parsed, http, store, audit, cancellationToken);
        }
        catch (RecipientUploadException refused)
        {
            return refused.Problem.ToResult();
        }
    }

    private static async Task<IResult> StageAsync(
        long campaignId, string source, string? fileName, ParsedRecipientList parsed, HttpContext http, RecipientListStore store, ICampaignAudit audit, CancellationToken cancellationToken)
    {
        var actor = AuditActor.From(http);
        var (outcome, listId) = await store.StageAsync(campaignId, source, fileName, parsed, actor.UserId, cancellationToken);
        if (outcome != AcceptOutcome.Accepted)
        {
            return Refusal(outcome).ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.RecipientsStaged, campaignId, actor, new Dictionary<string, object?>
        {
            ["listId"] = listId,
            ["source"] = source,
            ["valid"] = parsed.Valid.Count,
            ["errors"] = parsed.ErrorCount,
            ["duplicates"] = parsed.DuplicateCount,
        }), cancellationToken);
        var header = await store.FindAsync(campaignId, listId, cancellationToken);
        return Results.Created($"/api/campaigns/{campaignId}/recipient-lists/{listId}", await DescribeAsync(header!, store, cancellationToken));
    }

    private static async Task<IResult> GetAsync(long campaignId, long listId, RecipientListStore store, CancellationToken cancellationToken)
    {
        var header = await store.FindAsync(campaignId, listId, cancellationToken);
        return header is null ? ApiProblem.NotFound("수신자 목록을 찾을 수 없습니다.").ToResult() : Results.Ok(await DescribeAsync(header, store, cancellationToken));
    }

    private static async Task<IResult> DownloadErrorsAsync(long campaignId, long listId, HttpContext http, RecipientListStore store, ICampaignAudit audit, CancellationToken cancellationToken)
    {
        var header = await store.FindAsync(campaignId, listId, cancellationToken);
        if (header is null || header.Status is RecipientListStatus.Replaced or RecipientListStatus.Discarded)
        {
            return ApiProblem.NotFound("수신자 목록을 찾을 수 없습니다.").ToResult();
        }

        var errors = await store.ReadErrorsAsync(listId, null, cancellationToken);
        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.RecipientErrorsDownloaded, campaignId, AuditActor.From(http), new Dictionary<string, object?>
        {
            ["listId"] = listId,
            ["rows"] = errors.Count,
        }), cancellationToken);
        return Results.File(RecipientFiles.ErrorCsv(errors), "text/csv; charset=utf-8", ExportFileNames.RecipientErrors(campaignId, listId));
    }

    private static async Task<IResult> AcceptAsync(long campaignId, long listId, HttpContext http, RecipientListStore store, ICampaignAudit audit, CancellationToken cancellationToken)
    {
        var actor = AuditActor.From(http);
        var outcome = await store.AcceptAsync(campaignId, listId, actor.UserId, cancellationToken);
        if (outcome != AcceptOutcome.Accepted)
        {
            return Refusal(outcome).ToResult();
        }

        var header = await store.FindAsync(campaignId, listId, cancellationToken);
        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.RecipientsAccepted, campaignId, actor, new Dictionary<string, object?>
        {
            ["listId"] = listId,
            ["recipients"] = header!.ValidCount,
        }), cancellationToken);
        return Results.Ok(await DescribeAsync(header, store, cancellationToken));
    }

    private static async Task<IResult> DiscardAsync(long campaignId, long listId, HttpContext http, RecipientListStore store, ICampaignAudit audit, CancellationToken cancellationToken)
    {
        if (!await store.DiscardAsync(campaignId, listId, cancellationToken))
        {
            return ApiProblem.NotFound("삭제할 수 있는 수신자 목록이 없습니다.").ToResult();
        }

        await audit.RecordAsync(new CampaignAuditEvent(CampaignAuditEvents.RecipientsDiscarded, campaignId, AuditActor.From(http), new Dictionary<string, object?> { ["listId"] = listId }), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ListAcceptedAsync(long campaignId, int? after, int? limit, RecipientListStore store, CancellationToken cancellationToken)
    {
        var listId = await store.AcceptedListIdAsync(campaignId, cancellationToken);
        if (listId is null)
        {
            return ApiProblem.NotFound("발송 건을 찾을 수 없습니다.").ToResult();
        }

        var take = Math.Clamp(limit ?? 50, 1, 100);
        var rows = listId == 0 ? [] : await store.ReadRowsAsync(listId.Value, after ?? 0, take, cancellationToken);
        return Results.Ok(new { items = rows, next = rows.Count == take ? rows[^1].Seq : (int?)null });
    }

    private static async Task<IResult?> CheckDraftAsync(RecipientListStore store, long campaignId, CancellationToken cancellationToken) =>
        await store.CampaignStatusAsync(campaignId, cancellationToken) switch
        {
            null => Refusal(AcceptOutcome.CampaignNotFound).ToResult(),
            "DRAFT" => null,
            _ => Refusal(AcceptOutcome.CampaignNotDraft).ToResult(),
        };

    private static ApiProblem Refusal(AcceptOutcome outcome) => outcome switch
    {
        AcceptOutcome.CampaignNotFound => ApiProblem.NotFound("발송 건을 찾을 수 없습니다."),
        AcceptOutcome.CampaignNotDraft => ApiProblem.Conflict("campaign_not_draft", "임시저장 상태의 발송 건만 수정할 수 있습니다. 예약된 발송 건은 예약 해제 후 수정하세요."),
        AcceptOutcome.ListNotFound => ApiProblem.NotFound("수신자 목록을 찾을 수 없습니다."),
        AcceptOutcome.ListNotStaged => ApiProblem.Conflict("recipient_list_not_staged", "이미 처리된 수신자 목록입니다. 파일을 다시 업로드하세요."),
        AcceptOutcome.NoValidRecipients => ApiProblem.Conflict("recipient_list_empty", "등록된 수신자 휴대폰 번호가 없습니다."),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static async Task<RecipientListResponse> DescribeAsync(RecipientListHeader header, RecipientListStore store, CancellationToken cancellationToken)
    {
        var live = header.Status is RecipientListStatus.Staged or RecipientListStatus.Accepted;
        var preview = live ? await store.ReadRowsAsync(header.Id, 0, PreviewRows, cancellationToken) : [];
        var errors = live ? await store.ReadErrorsAsync(header.Id, PreviewRows, cancellationToken) : [];
        var rejected = header.ErrorCount + header.DuplicateCount;
        return new RecipientListResponse(
            header.Id, header.CampaignId, header.Status, header.Source, header.FileName,
            header.TotalRows, header.ValidCount, header.ErrorCount, header.DuplicateCount,
            $"총 {header.TotalRows:N0}건 중 정상 {header.ValidCount:N0}건, 오류 {header.ErrorCount:N0}건 (중복 {header.DuplicateCount:N0}건 제외)",
            header.Status == RecipientListStatus.Staged && rejected > 0 && header.ValidCount > 0
                ? $"오류 {rejected:N0}건을 제외하고 정상 {header.ValidCount:N0}건으로 진행하시겠습니까?"
                : null,
            preview, errors, rejected > errors.Count);
    }
}

public sealed record QuickEntryRequest(IReadOnlyList<string?>? Lines);

public sealed record RecipientListResponse(
    long ListId,
    long CampaignId,
    string Status,
    string Source,
    string? FileName,
    int TotalRows,
    int ValidCount,
    int ErrorCount,
    int DuplicateCount,
    string Summary,
    string? ConfirmMessage,
    IReadOnlyList<RecipientView> Preview,
    IReadOnlyList<RecipientErrorView> Errors,
    bool ErrorsTruncated);
