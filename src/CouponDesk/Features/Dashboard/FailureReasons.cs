using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Snap;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// 실패 사유 (spec §3.8), three tabs over a period:
/// 발송 — failed messages by DONE_CODE (send time in the period), 재시도 가능 when the manual recommends a resend (§4.5);
/// 발급 — delivery items that gave up issuance by COUFUN RESULT_CODE (or our own TRANSIENT / SHORT / IN_DOUBT), 재시도 가능
/// only for transient causes; 이미지 — items whose coupon image could not be drawn, 재시도 가능 (실패 건 재시도 redraws).
/// Descriptions come from the code tables, never from stored free text, so nothing personal can leak through them.
/// </summary>
public static class FailureReasons
{
    public const string Retryable = "재시도 가능";
    public const string Final = "최종 실패";

    private static readonly Dictionary<string, (string Text, bool Retryable)> OwnIssueCodes = new(StringComparer.Ordinal)
    {
        ["TRANSIENT"] = ("일시 오류로 재시도 횟수를 모두 사용", true),
        ["SHORT"] = ("발급 수량 부족 (공급사 확인 필요)", false),
        ["IN_DOUBT"] = ("발급 확인 필요 주문 반복", false),
    };

    public static async Task<FailureTabs> ReadAsync(MySqlConnection c, DashboardPeriod period, CancellationToken ct)
    {
        var args = new { period.From, period.To };
        var send = await c.QueryAsync<(string? Code, string Status, long Count)>(new CommandDefinition(
            """
            SELECT done_code, status, CAST(COUNT(*) AS SIGNED) FROM messages
            WHERE req_at >= @From AND req_at < @To AND status IN ('FAILURE', 'RESULT_TIMEOUT')
            GROUP BY done_code, status
            """, args, cancellationToken: ct));
        var issue = await ItemFailuresAsync(c, "ISSUE_FAILED", args, ct);
        var image = await ItemFailuresAsync(c, "RENDER_FAILED", args, ct);
        return new FailureTabs(
            Ordered(send.Select(r => SendRow(r.Code, r.Status, (int)r.Count))),
            Ordered(issue.Select(r => IssueRow(r.Code, (int)r.Count))),
            Ordered(image.Select(r => Row(r.Code ?? "RENDER", "쿠폰 이미지 생성 실패", (int)r.Count, retryable: true))));
    }

    /// <summary>
    /// Per campaign through <c>ix_delivery_items_status (campaign_id, status, id)</c>: one short index range per campaign
    /// (a few hundred a year) instead of a scan of every item of every year — there is no index on the status alone,
    /// and one on (status, updated_at) would be rewritten by every pipeline update of every item (D-PERF-1).
    /// </summary>
    private static Task<IEnumerable<(string? Code, long Count)>> ItemFailuresAsync(MySqlConnection c, string status, object args, CancellationToken ct) =>
        c.QueryAsync<(string? Code, long Count)>(new CommandDefinition(
            $"""
            SELECT d.failure_code, CAST(COUNT(*) AS SIGNED)
            FROM campaigns cp STRAIGHT_JOIN delivery_items d ON d.campaign_id = cp.id AND d.status = '{status}'
            WHERE d.updated_at >= @From AND d.updated_at < @To
            GROUP BY d.failure_code
            """, args, cancellationToken: ct));

    private static FailureRow SendRow(string? code, string status, int count)
    {
        if (status == "RESULT_TIMEOUT" || string.IsNullOrWhiteSpace(code))
        {
            return Row("TIMEOUT", "결과 미수신 (24시간 내 결과 없음)", count, retryable: false);
        }

        var known = SnapDoneCodes.Find(code);
        return Row(code.Trim(), known?.MeaningKo ?? "알 수 없는 결과 코드", count, SnapDoneCodes.Classify(code) == SnapOutcome.ResendRecommended);
    }

    private static FailureRow IssueRow(string? code, int count)
    {
        code ??= "TRANSIENT";
        if (OwnIssueCodes.TryGetValue(code, out var own))
        {
            return Row(code, own.Text, count, own.Retryable);
        }

        return Row(code, CoufunResultCodes.DescribeKo(CoufunApi.Create, code), count,
            CoufunResultCodes.Classify(CoufunApi.Create, code) == CoufunResultClass.Transient);
    }

    private static FailureRow Row(string code, string description, int count, bool retryable) =>
        new(code, description, count, retryable, retryable ? Retryable : Final);

    /// <summary>Rows of the same code (e.g. two statuses) merged, largest first.</summary>
    private static List<FailureRow> Ordered(IEnumerable<FailureRow> rows) =>
        [.. rows.GroupBy(r => r.Code, StringComparer.Ordinal)
            .Select(g => g.First() with { Count = g.Sum(r => r.Count) })
            .OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal)];
}
