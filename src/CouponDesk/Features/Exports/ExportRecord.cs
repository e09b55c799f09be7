namespace CouponDesk.Features.Exports;

/// <summary>An <c>exports</c> row.</summary>
public sealed class ExportRecord
{
    public const string Columns =
        "id AS Id, kind AS Kind, campaign_id AS CampaignId, filters AS Filters, unmasked AS Unmasked, reason AS Reason, requested_by AS RequestedBy, " +
        "status AS Status, file_name AS FileName, file_path AS FilePath, row_count AS RowCount, file_bytes AS FileBytes, error AS Error, attempts AS Attempts, " +
        "requested_at AS RequestedAt, ready_at AS ReadyAt, expires_at AS ExpiresAt, finished_at AS FinishedAt";

    public long Id { get; init; }

    public string Kind { get; init; } = "";

    public long? CampaignId { get; init; }

    /// <summary>JSON object of the list filters (<c>CampaignListQuery.Describe</c>).</summary>
    public string? Filters { get; init; }

    public bool Unmasked { get; init; }

    public string? Reason { get; init; }

    public long RequestedBy { get; init; }

    public string Status { get; init; } = "";

    public string FileName { get; init; } = "";

    public string? FilePath { get; init; }

    public int? RowCount { get; init; }

    public long? FileBytes { get; init; }

    public string? Error { get; init; }

    public int Attempts { get; init; }

    public DateTime RequestedAt { get; init; }

    public DateTime? ReadyAt { get; init; }

    public DateTime? ExpiresAt { get; init; }

    public DateTime? FinishedAt { get; init; }
}
