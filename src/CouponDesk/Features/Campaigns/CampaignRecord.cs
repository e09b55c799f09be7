namespace CouponDesk.Features.Campaigns;

/// <summary>A campaign row as stored (personal fields still encrypted).</summary>
public sealed record CampaignRecord
{
    public long Id { get; init; }

    public string? CampaignNo { get; init; }

    public string Status { get; init; } = "";

    public string ClientName { get; init; } = "";

    public string? SalesManager { get; init; }

    public byte[]? ClientRequesterEnc { get; init; }

    public byte[]? RequesterPhoneEnc { get; init; }

    public byte[]? RequesterEmailEnc { get; init; }

    public string EventName { get; init; } = "";

    public string? SendMode { get; init; }

    public DateTime? ScheduledAt { get; init; }

    public bool NightSendConfirmed { get; init; }

    public DateTime? StartAt { get; init; }

    public string? GoodsId { get; init; }

    public string? ProductName { get; init; }

    public string? ExchangePlace { get; init; }

    public int? SupplyPrice { get; init; }

    public int? ListPrice { get; init; }

    public string? ValidityType { get; init; }

    public string? ValidityValue { get; init; }

    public string? CouponType { get; init; }

    public string? ProductImageRef { get; init; }

    public DateTime? ProductSnapshotAt { get; init; }

    public string? SenderNumber { get; init; }

    public string? MmsTitle { get; init; }

    public string? MmsBody { get; init; }

    public bool UseBanner { get; init; }

    public long? BannerId { get; init; }

    public long? RecipientListId { get; init; }

    public int RecipientCount { get; init; }

    public long? CostEstimate { get; init; }

    public long? CreatedBy { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public DateTime? SubmittedAt { get; init; }

    public DateTime? CancelledAt { get; init; }

    public string? CancelReason { get; init; }

    public int Version { get; init; }

    public const string Columns = """
        id AS Id, campaign_no AS CampaignNo, status AS Status, client_name AS ClientName, sales_manager AS SalesManager,
        client_requester_enc AS ClientRequesterEnc, requester_phone_enc AS RequesterPhoneEnc, requester_email_enc AS RequesterEmailEnc,
        event_name AS EventName, send_mode AS SendMode, scheduled_at AS ScheduledAt, night_send_confirmed AS NightSendConfirmed,
        start_at AS StartAt, goods_id AS GoodsId, product_name AS ProductName, exchange_place AS ExchangePlace,
        supply_price AS SupplyPrice, list_price AS ListPrice, validity_type AS ValidityType, validity_value AS ValidityValue,
        coupon_type AS CouponType, product_image_ref AS ProductImageRef, product_snapshot_at AS ProductSnapshotAt,
        sender_number AS SenderNumber, mms_title AS MmsTitle, mms_body AS MmsBody, use_banner AS UseBanner, banner_id AS BannerId,
        recipient_list_id AS RecipientListId, recipient_count AS RecipientCount, cost_estimate AS CostEstimate,
        created_by AS CreatedBy, created_at AS CreatedAt, updated_at AS UpdatedAt, submitted_at AS SubmittedAt,
        cancelled_at AS CancelledAt, cancel_reason AS CancelReason, version AS Version
        """;
}
