using System.Globalization;
using CouponDesk.Features.Campaigns.Products;
using CouponDesk.Features.Recipients;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Time;

namespace CouponDesk.Features.Campaigns;

public sealed record CampaignResponse(
    long Id,
    string? CampaignNo,
    string Status,
    string StatusLabel,
    string ClientName,
    string? SalesManager,
    string? ClientRequester,
    string? RequesterPhone,
    string? RequesterEmail,
    string EventName,
    string? SendMode,
    string? ScheduledAt,
    DateTime? ScheduledAtUtc,
    bool NightSendConfirmed,
    string? StartAt,
    ProductView? Product,
    string? SenderNumber,
    string? MmsTitle,
    string? MmsBody,
    bool UseBanner,
    bool HasBanner,
    int RecipientCount,
    long? CostEstimate,
    string EarliestSendAt,
    string? CancelReason,
    int Version);

public sealed record ProductView(string GoodsId, string? Name, string? ExchangePlace, int? SupplyPrice, int? ListPrice, string? ValidityType, string? ValidityText, string? CouponType, string? ImageRef, string? PriceText);

public sealed record CostEstimate(int Recipients, int UnitListPrice, int UnitSupplyPrice, long TotalListPrice, long TotalSupplyPrice, string Text);

public sealed record SubmitCheckResponse(string SendAt, DateTime SendAtUtc, string StartAt, CostEstimate CostEstimate, string ConfirmMessage, IReadOnlyList<string> Warnings);

public sealed record SubmitResponse(CampaignResponse Campaign, CostEstimate CostEstimate, string Message, IReadOnlyList<string> Warnings);

public sealed record CancelRequest(string? Reason);

public sealed record SubmitRequest(int? Version);

/// <summary>Maps stored campaigns to API answers: KST times, masked personal fields (spec §7.3).</summary>
public static class CampaignViews
{
    public static CampaignResponse ToResponse(CampaignRecord r, PiiReader pii, SendTimeRules rules) => new(
        r.Id,
        r.CampaignNo,
        r.Status,
        CampaignStatus.Label(r.Status),
        r.ClientName,
        r.SalesManager,
        r.ClientRequesterEnc is null ? null : pii.Masked(r.ClientRequesterEnc, CampaignsModule.RequesterColumn.PlaceOf(r.Id), RecipientListBuilder.MaskName),
        r.RequesterPhoneEnc is null ? null : pii.Masked(r.RequesterPhoneEnc, CampaignsModule.RequesterPhoneColumn.PlaceOf(r.Id), MaskOtherPhone),
        r.RequesterEmailEnc is null ? null : pii.Masked(r.RequesterEmailEnc, CampaignsModule.RequesterEmailColumn.PlaceOf(r.Id), MaskEmail),
        r.EventName,
        r.SendMode,
        r.ScheduledAt is { } at ? Kst.FormatMinute(at) : null,
        r.ScheduledAt,
        r.NightSendConfirmed,
        r.StartAt is { } start ? Kst.FormatMinute(start) : null,
        r.GoodsId is null ? null : new ProductView(
            r.GoodsId, r.ProductName, r.ExchangePlace, r.SupplyPrice, r.ListPrice, r.ValidityType,
            Snapshot(r)?.ValidityText, r.CouponType, r.ProductImageRef,
            r.SupplyPrice is { } sp && r.ListPrice is { } lp ? $"{sp:N0} / {lp:N0} (원)" : null),
        r.SenderNumber,
        r.MmsTitle,
        r.MmsBody,
        r.UseBanner,
        r.BannerId is not null,
        r.RecipientCount,
        r.CostEstimate,
        Kst.FormatMinute(rules.EarliestUtc(r.RecipientCount)),
        r.CancelReason,
        r.Version);

    public static ProductSnapshot? Snapshot(CampaignRecord r) => r.GoodsId is null || r.ProductName is null
        ? null
        : new ProductSnapshot(r.GoodsId, r.ProductName, r.ExchangePlace, r.SupplyPrice, r.ListPrice, r.ValidityType, r.ValidityValue, r.CouponType, true, r.ProductImageRef);

    public static CostEstimate Cost(ProductSnapshot product, int recipients)
    {
        var list = product.ListPrice ?? 0;
        var supply = product.SupplyPrice ?? 0;
        return new CostEstimate(recipients, list, supply, (long)list * recipients, (long)supply * recipients, $"합계 {(long)list * recipients:N0}원");
    }

    /// <summary>Spec §7.3 "other phone numbers": first group kept, middle hidden, last 4 kept.</summary>
    public static string MaskOtherPhone(string digits)
    {
        if (digits.Length < 8)
        {
            return new string('*', digits.Length);
        }

        var first = digits.StartsWith("02", StringComparison.Ordinal) ? 2 : 3;
        return $"{digits[..first]}-****-{digits[^4..]}";
    }

    /// <summary>Spec §7.3: first character of the local part, three stars, the domain.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    /// <summary>The validity the coupon would get if issued on the send date (spec §3.2.2).</summary>
    public static string? CouponValidity(ProductSnapshot? product, DateTime? sendAtUtc)
    {
        if (product is null)
        {
            return null;
        }

        if (product.ValidDays is { } days)
        {
            return sendAtUtc is { } at
                ? DateOnly.FromDateTime(Kst.ToKst(at)).AddDays(days).ToString("yyyy.MM.dd", CultureInfo.InvariantCulture) + "까지"
                : product.ValidityText;
        }

        return product.ValidUntil is { } until ? Kst.FormatDate(until) + "까지" : null;
    }
}
