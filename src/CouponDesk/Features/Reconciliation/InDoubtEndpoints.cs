using System.Globalization;
using System.Text;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Shared.Time;
using CouponDesk.Web.Downloads;
using CouponDesk.Web.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// 발급 확인 필요 (spec §3.10, P23): the list of in-doubt orders (ADMIN and OPERATOR), settlement and cancel retry (ADMIN),
/// the CSV for the supplier (masked but for TR_ID, audited), and the per-day and per-campaign reconciliation reports.
/// </summary>
public sealed class InDoubtEndpoints : IEndpointModule
{
    private const int MaxLimit = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/in-doubt-orders").WithTags("In-doubt orders");
        group.MapGet("", ListAsync).RequireAuthorization(Policies.ViewInDoubtOrders);
        group.MapGet("/export.csv", ExportAsync).RequireAuthorization(Policies.ViewInDoubtOrders);
        group.MapGet("/{id:long}", async (long id, InDoubtOrderQueries queries, CancellationToken ct) =>
            await queries.GetAsync(id, ct) is { } item ? Results.Ok(item) : NotFound().ToResult()).RequireAuthorization(Policies.ViewInDoubtOrders);
        // A settlement is a few hundred bytes; Kestrel refuses more than 16 KB while reading it.
        group.MapPost("/{id:long}/settle", SettleAsync).RequireAuthorization(Policies.SettleInDoubtOrders).WithMetadata(new RequestSizeLimitAttribute(16 * 1024));
        group.MapPost("/{id:long}/cancels/retry", RetryAsync).RequireAuthorization(Policies.SettleInDoubtOrders);
        app.MapGet("/api/reconciliation/daily", DailyAsync).WithTags("In-doubt orders").RequireAuthorization(Policies.ViewInDoubtOrders);
        app.MapGet("/api/campaigns/{id:long}/pipeline/reconciliation", async (long id, CampaignReconciliation reports, CancellationToken ct) =>
            await reports.ReconcileAsync(id, ct) is { } r ? Results.Ok(r) : NotFound().ToResult())
            .WithTags("Campaign pipeline").RequireAuthorization(Policies.ViewInDoubtOrders);
    }

    private static async Task<IResult> ListAsync(string? status, long? cursor, int? limit, InDoubtOrderQueries queries, CancellationToken ct)
    {
        var errors = CheckFilter(status, cursor, limit);
        return errors.Count > 0
            ? ApiProblem.Validation(errors).ToResult()
            : Results.Ok(await queries.ListAsync(status ?? "open", cursor, limit ?? 50, ct));
    }

    private static async Task<IResult> SettleAsync(long id, SettleRequest? request, HttpContext http, InDoubtSettlement settlement, CancellationToken ct)
    {
        var (valid, errors) = SettleValidator.Check(request);
        if (valid is null)
        {
            return ApiProblem.Validation(errors).ToResult();
        }

        return Answer(await settlement.SettleAsync(id, valid, AuditActor.From(http), ct), "ALREADY_SETTLED", "이미 정리된 주문입니다. 화면을 새로 고쳐 확인해 주세요.");
    }

    private static async Task<IResult> RetryAsync(long id, HttpContext http, InDoubtSettlement settlement, CancellationToken ct) =>
        Answer(await settlement.RetryCancelsAsync(id, AuditActor.From(http), ct), "NOTHING_TO_RETRY", "다시 시도할 쿠폰 취소가 없습니다.");

    private static IResult Answer(SettleResult result, string conflictCode, string conflict) => result.Outcome switch
    {
        SettleOutcome.Done => Results.Ok(result.Order),
        SettleOutcome.NotFound => NotFound().ToResult(),
        SettleOutcome.Invalid => ApiProblem.Validation(result.Errors!).ToResult(),
        _ => ApiProblem.Conflict(conflictCode, conflict).ToResult(),
    };

    /// <summary>For the supplier: every column but TR_ID masked where it could hold personal data; formula-safe cells.</summary>
    private static async Task<IResult> ExportAsync(string? status, HttpContext http, InDoubtOrderQueries queries, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var errors = CheckFilter(status, null, null);
        if (errors.Count > 0)
        {
            return ApiProblem.Validation(errors).ToResult();
        }

        var csv = new StringBuilder();
        csv.Append(CsvWriter.Line(["요청일시", "캠페인 ID", "이벤트명", "요청번호(TR_ID)", "상품코드(GOODS_ID)", "요청 수량", "금액", "오류 내용", "상태", "정리자", "정리일시", "메모", "취소 쿠폰번호"]));
        var rows = 0;
        long? cursor = null;
        do
        {
            var page = await queries.ListAsync(status ?? "all", cursor, MaxLimit, ct);
            foreach (var o in page.Items)
            {
                rows++;
                csv.Append(CsvWriter.Line([
                    o.RequestedAtKst, o.CampaignId.ToString(CultureInfo.InvariantCulture), o.EventName, o.TrId, o.GoodsId,
                    o.CreateCount.ToString(CultureInfo.InvariantCulture), o.Value.ToString(CultureInfo.InvariantCulture), o.Error, o.StateLabel,
                    o.SettledBy, o.SettledAt is { } at ? Kst.FormatMinute(at) : null, o.Memo,
                    string.Join(" ", o.Cancels.Select(x => $"{x.CouponNumber}({x.StatusLabel})")),
                ]));
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        await audit.WriteAsync(AuditActor.From(http).Entry("in_doubt.exported") with
        {
            TargetType = "issuance_order",
            Details = new Dictionary<string, string?> { ["status"] = status ?? "all", ["rows"] = rows.ToString(CultureInfo.InvariantCulture), ["masked"] = "true" },
        }, ct);
        var name = ExportFileNames.InDoubtOrders(time.GetUtcNow().UtcDateTime);
        return Results.File(CsvWriter.Encoding.GetPreamble().Concat(CsvWriter.Encoding.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", name);
    }

    private static async Task<IResult> DailyAsync(string? date, DailyReconciliation daily, TimeProvider time, CancellationToken ct)
    {
        DateOnly day;
        if (string.IsNullOrWhiteSpace(date))
        {
            day = DateOnly.FromDateTime(Kst.Now(time));
        }
        else if (date.Length > 10 || !DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return ApiProblem.Validation("date", "날짜는 YYYY-MM-DD 형식으로 입력해 주세요.").ToResult();
        }

        return Results.Ok(await daily.ForDayAsync(day, ct));
    }

    private static Dictionary<string, string[]> CheckFilter(string? status, long? cursor, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !InDoubtOrderQueries.Filters.Contains(status))
        {
            errors["status"] = ["상태는 open, settled, all 중 하나여야 합니다."];
        }

        KeysetPage.Check(errors, cursor, limit, MaxLimit);

        return errors;
    }

    private static ApiProblem NotFound() => ApiProblem.NotFound("발급 확인이 필요한 주문을 찾을 수 없습니다.");
}
