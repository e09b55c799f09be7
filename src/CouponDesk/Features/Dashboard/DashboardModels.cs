namespace CouponDesk.Features.Dashboard;

/// <summary>
/// The dashboard (spec §3.8, permission P2): aggregates only — counts, rates, codes, campaign names and times. It never
/// carries a phone number, a name or a coupon number, so every role may see it. A panel that could not be read is null
/// and named in <see cref="Unavailable"/> (<see cref="DashboardPanels"/> → Korean message); the others are still there.
/// </summary>
public sealed record Dashboard(
    DateTime GeneratedAt,
    string Period,
    TodaySending? Today,
    SuccessRates? SuccessRate,
    FailureTabs? Failures,
    IReadOnlyList<RunningCampaign>? RunningCampaigns,
    IReadOnlyList<UpcomingCampaign>? UpcomingCampaigns,
    int? InDoubtOrders,
    int? GaveUpCouponCancels,
    SystemState? System,
    IReadOnlyDictionary<string, string> Unavailable)
{
    /// <summary>Coupon status answers flagged for an ADMIN and not yet reviewed: supplier/record conflicts and answers kept unapplied (spec §4.3).</summary>
    public int? CouponConflicts { get; init; }

    /// <summary>만료 예정: UNUSED / PARTIALLY_USED coupons whose validity ends within 7 days (KST).</summary>
    public int? ExpiringSoon { get; init; }

    /// <summary>승인 대기: two-person approval requests pending and not expired (spec §1.3 item 3).</summary>
    public int? PendingApprovals { get; init; }

    /// <summary>교환률 of the most recent sent campaigns (issue 17 point 9).</summary>
    public ExchangeRates? ExchangeRates { get; init; }
}

/// <summary>Messages handed to the agent with a send time today (KST).</summary>
public sealed record TodaySending(int Total, int Succeeded, int Failed, int Pending);

/// <summary>성공 / (성공 + 실패) in percent with one decimal; null when no message has a result yet.</summary>
public sealed record SuccessRates(double? Today, double? Last7Days, int Last7DaysSucceeded, int Last7DaysFailed);

public sealed record FailureTabs(IReadOnlyList<FailureRow> Send, IReadOnlyList<FailureRow> Issue, IReadOnlyList<FailureRow> Image);

/// <summary>One failure reason: 코드, 설명, 건수, 구분 (재시도 가능 / 최종 실패).</summary>
public sealed record FailureRow(string Code, string Description, int Count, bool Retryable, string ClassLabel);

/// <summary>Per-stage counts n / N (발급, 이미지, 적재, 결과) of a running campaign, from the pipeline's own progress.</summary>
public sealed record StageCounts(int Issued, int Rendered, int Queued, int Results);

public sealed record RunningCampaign(
    long Id,
    string ClientName,
    string EventName,
    DateTime? ScheduledAt,
    string Status,
    string StatusLabel,
    string? Reason,
    int Total,
    StageCounts Stages,
    int Succeeded,
    int Failed,
    double QueuedPerMinute,
    DateTime? EstimatedFinishAt);

public sealed record UpcomingCampaign(
    long Id,
    string ClientName,
    string EventName,
    DateTime? ScheduledAt,
    int RecipientCount,
    IReadOnlyList<string> Warnings);

public sealed record CoufunState(DateTime? LastSuccessAt, DateTime? LastErrorAt);

/// <summary>The agent's backlog: the oldest <c>ready</c> row whose send time has passed; "에이전트 지연" beyond 5 minutes.</summary>
public sealed record AgentState(int DueReady, int? OldestDueSeconds, bool Delayed, string Label);

public sealed record CatalogSyncState(DateTime StartedAt, DateTime? FinishedAt, string Outcome);

public sealed record WorkerState(string HostName, int ProcessId, string Roles, DateTime StartedAt, DateTime BeatAt, bool Alive);

public sealed record SystemState(
    CoufunState Coufun,
    AgentState Agent,
    CatalogSyncState? LastCatalogSync,
    DateTime? LastResultSyncAt,
    DateTime? LastResultAt,
    IReadOnlyList<WorkerState> Workers)
{
    /// <summary>The coupon status sync's last tick (Quartz), when the <c>jobs</c> role runs it (spec §3.8 "last coupon-status sync").</summary>
    public DateTime? LastCouponStatusSyncAt { get; init; }
}
