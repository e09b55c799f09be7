using System.Globalization;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Downloads;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Audit;

/// <summary>감사로그 (spec §3.7), ADMIN only: search with cursor paging, CSV export (itself audited), chain verification.</summary>
public sealed class AuditEndpoints : IEndpointModule
{
    public const int PageSize = 50;
    public const int ExportLimit = 100_000;

    /// <summary>One row; <c>ActionLabel</c> / <c>ReasonLabel</c> are the Korean names of the codes (null when there is none).</summary>
    public sealed record AuditItem(
        long Id, DateTimeOffset OccurredAt, long? ActorUserId, string? Actor, string? SourceIp, string? UserAgent, string Action, string? ActionLabel,
        string? TargetType, string? TargetTypeLabel, string? TargetId, string? Subject, string Outcome, string? Reason, string? ReasonLabel, string? Details, string? CorrelationId);

    public sealed record AuditPage(IReadOnlyList<AuditItem> Items, string? NextCursor);

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.ViewAudit);
        group.MapGet("/", SearchAsync);
        group.MapGet("/export.csv", ExportAsync);
        group.MapGet("/actions", () => Results.Ok(AuditLabels.Actions));
        group.MapGet("/verify", async (AuditVerifier verifier, CancellationToken ct) => Results.Ok(await verifier.VerifyAsync(ct)));
    }

    private static async Task<IResult> SearchAsync(
        AuditSearch search, TimeProvider time, CancellationToken ct,
        string? from = null, string? to = null, string? actor = null, string? action = null, string? targetType = null,
        string? targetId = null, string? subject = null, string? outcome = null, string? ip = null, string? cursor = null)
    {
        if (!TryFilter(time, from, to, actor, action, targetType, targetId, subject, outcome, ip, out var filter, out var problem))
        {
            return problem!.ToResult();
        }

        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return ApiProblem.Validation("cursor", "페이지 위치 값이 올바르지 않습니다.").ToResult();
            }

            before = id;
        }

        var rows = await search.SearchAsync(filter, before, PageSize, ct);
        return Results.Ok(new AuditPage(rows.Select(ToItem).ToList(), rows.Count == PageSize ? rows[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, AuditSearch search, AuditTrail audit, TimeProvider time, CancellationToken ct,
        string? from = null, string? to = null, string? actor = null, string? action = null, string? targetType = null,
        string? targetId = null, string? subject = null, string? outcome = null, string? ip = null)
    {
        if (!TryFilter(time, from, to, actor, action, targetType, targetId, subject, outcome, ip, out var filter, out var problem))
        {
            return problem!.ToResult();
        }

        var rows = await search.SearchAsync(filter, null, ExportLimit, ct);
        await audit.WriteAsync(
            AuditActor.From(http).Entry(AuditActions.AuditExported) with
            {
                TargetType = "audit_log",
                Details = new Dictionary<string, string?>
                {
                    ["from"] = filter.FromUtc.ToString("O"),
                    ["to"] = filter.ToUtc.ToString("O"),
                    ["actor"] = actor,
                    ["action"] = action,
                    ["targetType"] = targetType,
                    ["targetId"] = targetId,
                    ["subject"] = subject,
                    ["outcome"] = outcome,
                    ["ip"] = ip,
                    ["rows"] = rows.Count.ToString(CultureInfo.InvariantCulture),
                },
            },
            ct);
        var text = new System.Text.StringBuilder();
        text.Append(CsvWriter.Line(["일시", "사용자", "사용자 ID", "행위", "행위 코드", "대상 유형", "대상", "정보주체", "IP", "결과", "사유", "상세", "사용자 에이전트", "요청 ID"]));
        foreach (var row in rows)
        {
            text.Append(CsvWriter.Line([
                Kst.ToKst(row.OccurredAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), row.ActorLogin,
                row.ActorUserId?.ToString(CultureInfo.InvariantCulture), AuditLabels.ActionName(row.Action) ?? row.Action, row.Action,
                AuditLabels.TargetTypeName(row.TargetType) ?? row.TargetType,
                row.TargetId, row.Subject, row.SourceIp, OutcomeName(row.Outcome), AuditLabels.ReasonName(row.Reason) ?? row.Reason,
                AuditDetails.ForReading(row.Details), row.UserAgent, row.CorrelationId,
            ]));
        }

        var fileName = ExportFileNames.AuditLog(time.GetUtcNow().UtcDateTime);
        return Results.File(CsvWriter.Encoding.GetPreamble().Concat(CsvWriter.Encoding.GetBytes(text.ToString())).ToArray(), "text/csv; charset=utf-8", fileName);
    }

    private static AuditItem ToItem(AuditRow row) => new(
        row.Id, new DateTimeOffset(Kst.ToKst(row.OccurredAt), Kst.Offset), row.ActorUserId, row.ActorLogin, row.SourceIp, row.UserAgent, row.Action,
        AuditLabels.ActionName(row.Action), row.TargetType, AuditLabels.TargetTypeName(row.TargetType), row.TargetId, row.Subject, row.Outcome, row.Reason, AuditLabels.ReasonName(row.Reason),
        AuditDetails.ForReading(row.Details), row.CorrelationId);

    private static string OutcomeName(string outcome) => outcome switch
    {
        AuditOutcome.Success => "성공",
        AuditOutcome.Failure => "실패",
        AuditOutcome.Denied => "거부",
        _ => outcome,
    };

    private static bool TryFilter(
        TimeProvider time, string? from, string? to, string? actor, string? action, string? targetType, string? targetId, string? subject,
        string? outcome, string? ip, out AuditFilter filter, out ApiProblem? problem)
    {
        filter = null!;
        problem = null;
        var todayKst = DateOnly.FromDateTime(Kst.Now(time));
        var errors = new Dictionary<string, string[]>();
        var fromUtc = ParseInstant(from, Kst.ToUtc(todayKst.ToDateTime(TimeOnly.MinValue)), "from", errors);
        var toUtc = ParseInstant(to, Kst.ToUtc(todayKst.AddDays(1).ToDateTime(TimeOnly.MinValue)), "to", errors);
        if (errors.Count == 0 && toUtc <= fromUtc)
        {
            errors["to"] = ["종료 일시는 시작 일시보다 뒤여야 합니다."];
        }

        foreach (var (name, value) in new[] { ("actor", actor), ("action", action), ("targetType", targetType), ("targetId", targetId), ("subject", subject), ("outcome", outcome), ("ip", ip) })
        {
            if (value is { Length: > 128 })
            {
                errors[name] = ["검색어가 너무 깁니다. (최대 128자)"];
            }
        }

        if (errors.Count > 0)
        {
            problem = ApiProblem.Validation(errors);
            return false;
        }

        filter = new AuditFilter(fromUtc, toUtc, Blank(actor), Blank(action), Blank(targetType), Blank(targetId), Blank(subject), Blank(outcome)?.ToUpperInvariant(), Blank(ip));
        return true;
    }

    private static DateTime ParseInstant(string? value, DateTime fallbackUtc, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallbackUtc;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && value.Length > 10)
        {
            return instant.UtcDateTime;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // A bare date is a KST day; "to" as a date includes that whole day.
            var start = Kst.ToUtc(day.ToDateTime(TimeOnly.MinValue));
            return field == "to" ? start.AddDays(1) : start;
        }

        errors[field] = ["날짜 형식이 올바르지 않습니다. (예: 2026-11-25 또는 2026-11-25T09:00:00+09:00)"];
        return fallbackUtc;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
