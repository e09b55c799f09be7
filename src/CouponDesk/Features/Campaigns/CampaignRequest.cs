namespace CouponDesk.Features.Campaigns;

/// <summary>
/// The 발송등록 form (spec §3.2.1), as the API takes it for create (POST) and edit (PUT, a full replacement).
/// <c>scheduledAt</c> is KST wall-clock <c>yyyy-MM-dd HH:mm</c> (the form's format); <c>sendMode</c> is <c>AT</c> (that
/// time) or <c>NOW</c> (the earliest allowed time, fixed on submit). <c>version</c> guards against lost updates.
/// </summary>
public sealed record CampaignRequest
{
    public string? ClientName { get; init; }

    public string? SalesManager { get; init; }

    public string? ClientRequester { get; init; }

    public string? RequesterPhone { get; init; }

    public string? RequesterEmail { get; init; }

    public string? EventName { get; init; }

    public string? SendMode { get; init; }

    public string? ScheduledAt { get; init; }

    public bool NightSendConfirmed { get; init; }

    public string? GoodsId { get; init; }

    public string? SenderNumber { get; init; }

    public string? MmsTitle { get; init; }

    public string? MmsBody { get; init; }

    public bool UseBanner { get; init; }

    public int? Version { get; init; }
}

/// <summary>The form after trimming and normalisation; what is stored.</summary>
public sealed record CampaignDraft
{
    public string ClientName { get; init; } = "";

    public string? SalesManager { get; init; }

    public string? ClientRequester { get; init; }

    public string? RequesterPhone { get; init; }

    public string? RequesterEmail { get; init; }

    public string EventName { get; init; } = "";

    public string? SendMode { get; init; }

    public DateTime? ScheduledAtUtc { get; init; }

    public bool NightSendConfirmed { get; init; }

    public string? GoodsId { get; init; }

    public string? SenderNumber { get; init; }

    public string? MmsTitle { get; init; }

    public string? MmsBody { get; init; }

    public bool UseBanner { get; init; }
}

public static class SendModes
{
    public const string Now = "NOW";
    public const string At = "AT";
}
