namespace CouponDesk.Integrations.Snap;

/// <summary>
/// One MMS to hand to the agent: one send attempt to one phone. Images are files staged by <see cref="SnapImageStager"/>
/// (paths under <c>Snap:ImageDirectory</c>). <see cref="ReserveAtUtc"/> null = send now; otherwise the instant the
/// agent may send it (written to <c>REQ_DATE</c> as KST wall-clock time). The ids go to <c>ETC2</c>–<c>ETC4</c> and to
/// our <c>messages</c> row.
/// </summary>
public sealed record OutgoingMms
{
    public required string Phone { get; init; }

    public required string CallbackNumber { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public required IReadOnlyList<string> ImagePaths { get; init; }

    public DateTime? ReserveAtUtc { get; init; }

    public long? CampaignId { get; init; }

    public long? RecipientId { get; init; }

    public long? CouponId { get; init; }

    /// <summary>1 for the first send, 2… for resends (<c>ETC5</c>).</summary>
    public int AttemptNo { get; init; } = 1;

    /// <summary>Why it is sent (spec §4.5); null = the first send. The values and their check belong to our <c>messages</c> (Features/Messages).</summary>
    public string? MessageType { get; init; }
}

/// <summary>What the writer queued for one <see cref="OutgoingMms"/>, in input order.</summary>
public sealed record QueuedMms(long MessageId, string ClientKey);
