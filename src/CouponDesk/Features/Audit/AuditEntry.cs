namespace CouponDesk.Features.Audit;

/// <summary>
/// One audit event (spec §3.7): who (user id and login), from where (address, user agent), what (a stable
/// <see cref="Action"/> name), on which target, whose data (<see cref="Subject"/>, already masked: e.g.
/// <c>010-****-1234</c> or <c>campaign:12 (20000)</c>), the outcome and a reason. <see cref="Details"/> holds masked
/// before/after values; the writer masks every text field again, so a phone or coupon number never lands in clear.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>The actor login of work no person started (jobs, commands).</summary>
    public const string SystemActor = "system";

    public required string Action { get; init; }

    public string Outcome { get; init; } = AuditOutcome.Success;

    public long? ActorUserId { get; init; }

    public string? ActorLogin { get; init; }

    public string? SourceIp { get; init; }

    public string? UserAgent { get; init; }

    public string? CorrelationId { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public string? Subject { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyDictionary<string, string?>? Details { get; init; }
}

public static class AuditOutcome
{
    public const string Success = "SUCCESS";
    public const string Failure = "FAILURE";
    public const string Denied = "DENIED";
}

/// <summary>Action names of this feature's events. Stable strings: searches and reports depend on them. Features add their own.</summary>
public static class AuditActions
{
    public const string Login = "auth.login";
    public const string Logout = "auth.logout";
    public const string SessionExpired = "auth.session_expired";
    public const string SessionEnded = "auth.session_ended";
    public const string PasswordChanged = "auth.password_changed";
    public const string AccessDenied = "authz.denied";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserViewed = "user.viewed_personal_data";
    public const string UserLocked = "user.locked";
    public const string UserUnlocked = "user.unlocked";
    public const string UserPasswordReset = "user.password_reset";
    public const string UserSessionsEnded = "user.sessions_ended";
    public const string AuditSearched = "audit.searched";
    public const string AuditExported = "audit.exported";
    public const string AuditPurged = "audit.purged";
    public const string KeyRotation = "pii.key_rotation";
    public const string PiiPurged = "pii.purged";
}
