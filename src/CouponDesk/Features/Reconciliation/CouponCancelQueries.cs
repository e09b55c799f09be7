using CouponDesk.Data;
using CouponDesk.Features.Pipeline.Cancels;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Logging;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

/// <summary>Reads 공급사 취소 실패: coupon cancels newest coupon first, keyset paging by coupon id.</summary>
public sealed class CouponCancelQueries(DbConnectionFactory connections)
{
    private const string Select = """
        SELECT x.coupon_id AS CouponId, x.campaign_id AS CampaignId, cp.event_name AS EventName, x.source AS Source, x.state AS State,
               x.attempts AS Attempts, x.manual_retries AS ManualRetries, x.created_at AS CreatedAt, x.first_attempt_at AS FirstAttemptAt,
               x.last_attempt_at AS LastAttemptAt, x.last_code AS LastCode, x.last_error AS LastError, k.coupon_number_last4 AS Last4,
               k.goods_id AS GoodsId, p.name AS GoodsName, k.face_value AS FaceValue, k.price AS Price, u.login_id AS ResolvedBy,
               x.resolved_at AS ResolvedAt, x.resolved_reason AS ResolvedReason
        FROM coupon_cancels x
        JOIN coupons k ON k.id = x.coupon_id
        LEFT JOIN campaigns cp ON cp.id = x.campaign_id
        LEFT JOIN products p ON p.goods_id = k.goods_id
        LEFT JOIN users u ON u.id = x.resolved_by
        """;

    public async Task<CouponCancelPage> ListAsync(string filter, long? cursor, int limit, CancellationToken ct)
    {
        var where = filter switch
        {
            CouponCancelFilter.Open => $"x.state IN ('{CouponCancelState.GaveUp}', '{CouponCancelState.Refused}')",
            CouponCancelFilter.Resolved => $"x.state = '{CouponCancelState.Done}' AND x.resolved_at IS NOT NULL",
            CouponCancelFilter.All => "1 = 1",
            _ => "x.state = @filter",
        };
        await using var c = await connections.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE {where} AND (@cursor IS NULL OR x.coupon_id < @cursor) ORDER BY x.coupon_id DESC LIMIT @take",
            new { filter, cursor, take = limit + 1 }, cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        return new CouponCancelPage([.. page.Select(r => r.ToItem())], rows.Count > limit ? page[^1].CouponId : null);
    }

    public async Task<CouponCancelItem?> GetAsync(long couponId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE x.coupon_id = @couponId", new { couponId }, cancellationToken: ct));
        return row?.ToItem();
    }

    /// <summary>The COUFUN code with its Korean meaning, or our own failure (no answer, number missing); free text masked.</summary>
    public static string? DescribeLast(string? code, string? error)
    {
        var text = error is null ? null : SensitiveDataMasker.Mask(error);
        if (code is { Length: > 0 })
        {
            var meaning = CoufunResultCodes.DescribeKo(CoufunApi.Cancel, code);
            return $"[{code}] {meaning}" + (text is { Length: > 0 } && !text.StartsWith(code + " ", StringComparison.Ordinal) ? $" ({text})" : "");
        }

        return text is null ? null : "공급사 응답 없음 (" + text + ")";
    }

    private sealed record Row(long CouponId, long? CampaignId, string? EventName, string Source, string State, int Attempts, int ManualRetries, DateTime CreatedAt,
        DateTime? FirstAttemptAt, DateTime? LastAttemptAt, string? LastCode, string? LastError, string Last4, string GoodsId, string? GoodsName, int FaceValue,
        int Price, string? ResolvedBy, DateTime? ResolvedAt, string? ResolvedReason)
    {
        public CouponCancelItem ToItem() => new(CouponId, CampaignId, EventName, Source, CouponCancelFilter.SourceLabel(Source), State,
            CouponCancelFilter.StateLabel(State, ResolvedAt is not null), Attempts, ManualRetries, CreatedAt, FirstAttemptAt, LastAttemptAt, LastCode, DescribeLast(LastCode, LastError),
            InDoubtOrderQueries.Mask(Last4), GoodsId, GoodsName, FaceValue, Price, ResolvedBy, ResolvedAt,
            ResolvedReason is null ? null : SensitiveDataMasker.Mask(ResolvedReason));
    }
}
