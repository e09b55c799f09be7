using System.Globalization;

namespace CouponDesk.Features.Audit;

/// <summary>
/// Where campaign and recipient actions are audited (spec §3.2: "every action audited"): the audit trail of
/// Features/Audit through <see cref="TrailCampaignAudit"/>. Event names are stable (see
/// <see cref="CampaignAuditEvents"/>); details never hold a phone number, name or e-mail in clear.
/// </summary>
public interface ICampaignAudit
{
    Task RecordAsync(CampaignAuditEvent auditEvent, CancellationToken cancellationToken = default);
}

public sealed record CampaignAuditEvent(string Name, long? CampaignId, AuditActor Actor, IReadOnlyDictionary<string, object?> Details);

/// <summary>Stable event names; the audit log screen and its exports key on them.</summary>
public static class CampaignAuditEvents
{
    public const string Created = "campaign.created";
    public const string Updated = "campaign.updated";
    public const string Submitted = "campaign.submitted";
    public const string Unscheduled = "campaign.unscheduled";
    public const string Cancelled = "campaign.cancelled";
    public const string Deleted = "campaign.deleted";
    public const string BannerUploaded = "campaign.banner_uploaded";
    public const string BannerRemoved = "campaign.banner_removed";
    public const string RecipientsStaged = "recipients.staged";
    public const string RecipientsAccepted = "recipients.accepted";
    public const string RecipientsDiscarded = "recipients.discarded";
    public const string RecipientErrorsDownloaded = "recipients.errors_downloaded";
    public const string SenderNumberAdded = "sender_number.added";
    public const string SenderNumberRemoved = "sender_number.removed";
    public const string SenderNumberDefaultChanged = "sender_number.default_changed";
}

/// <summary>Campaign events go to the tamper-evident audit trail (Features/Audit) in their own transaction.</summary>
public sealed class TrailCampaignAudit(AuditTrail trail) : ICampaignAudit
{
    public Task RecordAsync(CampaignAuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        trail.WriteAsync(
            auditEvent.Actor.Entry(auditEvent.Name) with
            {
                TargetType = auditEvent.CampaignId is null ? null : "campaign",
                TargetId = auditEvent.CampaignId?.ToString(CultureInfo.InvariantCulture),
                Details = auditEvent.Details.ToDictionary(d => d.Key, d => Convert.ToString(d.Value, CultureInfo.InvariantCulture)),
            },
            cancellationToken);
}
