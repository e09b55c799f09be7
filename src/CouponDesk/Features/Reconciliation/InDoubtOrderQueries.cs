using CouponDesk.Data;
using CouponDesk.Features.Pipeline;
using CouponDesk.Integrations.Coufun;
using CouponDesk.Shared.Logging;
using CouponDesk.Shared.Time;
using Dapper;

namespace CouponDesk.Features.Reconciliation;

/// <summary>Reads 발급 확인 필요 (spec §3.10): in-doubt orders newest first, keyset paging by id.</summary>
public sealed class InDoubtOrderQueries(DbConnectionFactory connections)
{
    public static readonly string[] Filters = ["open", "settled", "all"];

    public async Task<InDoubtOrderPage> ListAsync(string filter, long? cursor, int limit, CancellationToken ct)
    {
        var statuses = filter switch
        {
            "open" => new[] { OrderStatus.InDoubt },
            "settled" => [OrderStatus.SettledIssued, OrderStatus.SettledNotIssued],
            _ => [OrderStatus.InDoubt, OrderStatus.SettledIssued, OrderStatus.SettledNotIssued],
        };
        await using var c = await connections.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT o.id AS Id, COALESCE(o.requested_at, o.created_at) AS RequestedAt, o.campaign_id AS CampaignId, cp.event_name AS EventName, o.tr_id AS TrId,
                   o.goods_id AS GoodsId, o.create_cnt AS CreateCount, CAST(o.create_cnt * o.unit_price AS SIGNED) AS Value, o.result_code AS ResultCode,
                   o.failure AS Failure, o.status AS Status, u.login_id AS SettledBy, o.settled_at AS SettledAt, o.settle_memo AS Memo
            FROM issuance_orders o
            LEFT JOIN campaigns cp ON cp.id = o.campaign_id
            LEFT JOIN users u ON u.id = o.settled_by
            WHERE o.status IN @statuses AND (@cursor IS NULL OR o.id < @cursor)
            ORDER BY o.id DESC LIMIT @take
            """, new { statuses, cursor, take = limit + 1 }, cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        var cancels = await CancelsAsync(c, page.Select(r => r.Id).ToArray(), ct);
        return new InDoubtOrderPage([.. page.Select(r => r.ToItem(cancels.GetValueOrDefault(r.Id) ?? []))], rows.Count > limit ? page[^1].Id : null);
    }

    public async Task<InDoubtOrderItem?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            SELECT o.id AS Id, COALESCE(o.requested_at, o.created_at) AS RequestedAt, o.campaign_id AS CampaignId, cp.event_name AS EventName, o.tr_id AS TrId,
                   o.goods_id AS GoodsId, o.create_cnt AS CreateCount, CAST(o.create_cnt * o.unit_price AS SIGNED) AS Value, o.result_code AS ResultCode,
                   o.failure AS Failure, o.status AS Status, u.login_id AS SettledBy, o.settled_at AS SettledAt, o.settle_memo AS Memo
            FROM issuance_orders o
            LEFT JOIN campaigns cp ON cp.id = o.campaign_id
            LEFT JOIN users u ON u.id = o.settled_by
            WHERE o.id = @id AND o.status IN ('{OrderStatus.InDoubt}', '{OrderStatus.SettledIssued}', '{OrderStatus.SettledNotIssued}')
            """, new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var cancels = await CancelsAsync(c, [id], ct);
        return row.ToItem(cancels.GetValueOrDefault(id) ?? []);
    }

    private static async Task<Dictionary<long, List<InDoubtCancelView>>> CancelsAsync(MySqlConnector.MySqlConnection c, long[] ids, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        var rows = await c.QueryAsync<(long OrderId, string Last4, string Status, string? Code, string? Message)>(new CommandDefinition(
            "SELECT order_id, coupon_number_last4, status, result_code, result_message FROM in_doubt_cancels WHERE order_id IN @ids ORDER BY id", new { ids }, cancellationToken: ct));
        return rows.GroupBy(r => r.OrderId).ToDictionary(
            g => g.Key,
            g => g.Select(r => new InDoubtCancelView(Mask(r.Last4), r.Status, CancelStatus.Label(r.Status), r.Code, r.Message)).ToList());
    }

    /// <summary>Only the last four digits are kept for display: the masked form of spec §7.3.</summary>
    public static string Mask(string last4) => SensitiveDataMasker.MaskCouponNumber(new string('0', 8) + last4);

    /// <summary>"오류 내용": the COUFUN code with its Korean meaning, or the lost answer.</summary>
    public static string DescribeError(string? resultCode, string? failure) =>
        resultCode is { Length: > 0 } code
            ? $"[{code}] {CoufunResultCodes.DescribeKo(CoufunApi.Create, code)}" + (failure is { Length: > 0 } f ? $" ({f})" : "")
            : "공급사 응답을 받지 못했습니다" + (failure is { Length: > 0 } g ? $" ({g})" : "");

    private sealed record Row(long Id, DateTime RequestedAt, long CampaignId, string? EventName, string? TrId, string GoodsId, int CreateCount, long Value,
        string? ResultCode, string? Failure, string Status, string? SettledBy, DateTime? SettledAt, string? Memo)
    {
        public InDoubtOrderItem ToItem(IReadOnlyList<InDoubtCancelView> cancels)
        {
            var state = InDoubtStates.Of(Status, cancels.ToList());
            return new InDoubtOrderItem(Id, RequestedAt, Kst.FormatMinute(RequestedAt), CampaignId, EventName, TrId, GoodsId, CreateCount, Value,
                DescribeError(ResultCode, Failure), Status, state, InDoubtStates.Label(state), SettledBy, SettledAt,
                Memo is null ? null : SensitiveDataMasker.Mask(Memo), cancels);
        }
    }
}
