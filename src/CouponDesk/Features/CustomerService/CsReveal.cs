using CouponDesk.Data;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Pii;
using Dapper;

namespace CouponDesk.Features.CustomerService;

/// <summary>원문 보기 (spec §7.4): one item's clear phone (ADMIN, OPERATOR) or coupon number (ADMIN). The endpoint audits it.</summary>
public sealed class CsReveal(DbConnectionFactory connections, PiiReader reader, CouponRepository coupons)
{
    public sealed record Revealed(long CampaignId, string Value);

    public async Task<Revealed?> PhoneAsync(long itemId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long CampaignId, byte[]? PhoneEnc, long ListId, int Seq)>(new CommandDefinition(
            """
            SELECT di.campaign_id, r.phone_enc, di.list_id, di.seq FROM delivery_items di JOIN campaigns cp ON cp.id = di.campaign_id
            LEFT JOIN recipient_list_rows r ON r.list_id = di.list_id AND r.seq = di.seq WHERE di.id = @itemId AND cp.deleted_at IS NULL
            """, new { itemId }, cancellationToken: ct));
        // A phone copied here from another row reveals nothing: 복호화 불가, logged with its place (D-SEC-12).
        return row.PhoneEnc is null ? null : new Revealed(row.CampaignId, reader.Show(row.PhoneEnc, RecipientsModule.PhoneColumn.PlaceOf(row.ListId, row.Seq))!);
    }

    public async Task<Revealed?> CouponNumberAsync(long itemId, CancellationToken ct)
    {
        await using var c = await connections.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long CampaignId, long? CouponId)>(new CommandDefinition(
            "SELECT di.campaign_id, di.coupon_id FROM delivery_items di JOIN campaigns cp ON cp.id = di.campaign_id WHERE di.id = @itemId AND cp.deleted_at IS NULL",
            new { itemId }, cancellationToken: ct));
        return row.CouponId is { } id && await coupons.RevealNumberAsync(id, ct) is { } number ? new Revealed(row.CampaignId, number) : null;
    }
}
