using CouponDesk.Data.States;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// Campaign states and their allowed transitions (spec §4.1; a copy of its table is in docs/rules/state-machines.md). The
/// one place these values are spelled; every status change is written by <see cref="CampaignTransitions"/>.
/// </summary>
public static class CampaignStatus
{
    public const string Draft = "DRAFT";
    public const string Scheduled = "SCHEDULED";
    public const string Issuing = "ISSUING";
    public const string Sending = "SENDING";
    public const string Paused = "PAUSED";
    public const string Error = "ERROR";
    public const string Cancelling = "CANCELLING";
    public const string Cancelled = "CANCELLED";
    public const string Completed = "COMPLETED";
    public const string PartiallyFailed = "PARTIALLY_FAILED";
    public const string Failed = "FAILED";

    /// <summary>The pipeline works for these (issue, draw, queue, resend).</summary>
    public static readonly string[] Running = [Issuing, Sending];

    /// <summary>Stopped by a person (PAUSED) or automatically (ERROR); resumable.</summary>
    public static readonly string[] Stopped = [Paused, Error];

    /// <summary>Every item final (C14, C13b); 실패 건 재시도 starts from these (C15).</summary>
    public static readonly string[] Finished = [Completed, PartiallyFailed, Failed];

    public static StateMachine Machine { get; } = new("campaign",
        [Draft, Scheduled, Issuing, Sending, Paused, Error, Cancelling, Cancelled, Completed, PartiallyFailed, Failed],
        [
            new("C1", StateMachine.New, Draft),
            new("C2", Draft, Scheduled),
            new("C3", Scheduled, Draft),
            new("C4", Draft, StateMachine.Deleted),
            new("C5", Scheduled, Issuing),
            new("C6", Issuing, Sending),
            new("C7", Running, [Paused]),
            new("C8", Running, [Error]),
            new("C9", Stopped, Running),
            new("C10", Scheduled, Cancelled),
            new("C11", [Issuing, Paused, Error], [Cancelling]),
            new("C12", Stopped, [Cancelling]),
            new("C13", Cancelling, Cancelled),
            new("C13b", [Cancelling], Finished),
            new("C14", [Sending], Finished),
            new("C15", Finished, Running),
            new("C5s", Scheduled, Sending,
                "C5 and C6 at once: a campaign that starts after its send time (late, but within the missed-schedule window of §5.1) goes straight to SENDING"),
            new("C5e", Scheduled, Error,
                "C5's failed pre-flight and C8's missed schedule (§5.1) stop a campaign that has not started yet"),
            new("C8s", Stopped, [Error],
                "a stopped campaign's order still in flight (a lost answer resolved while PAUSED) can need a person: ERROR with the newer reason"),
            new("C11s", Sending, Cancelling,
                "issue 24: 일괄취소 of a SENDING campaign — its send time passed, but what the agent has not taken can still be withdrawn; the whole campaign is cancelled when the agent took nothing, else its unsent part (then C13b)"),
            new("C9s", Stopped, [Scheduled],
                "resuming a campaign stopped before it could start (missed schedule, failed pre-flight) starts it again at once, from SCHEDULED"),
        ]);

    /// <summary><c>('ISSUING', 'SENDING')</c> for SQL (declared after <see cref="Machine"/>: static fields initialize in order).</summary>
    public static readonly string RunningSql = Machine.InSql(Running);

    public static string Label(string status) => status switch
    {
        Draft => "임시저장",
        Scheduled => "예약",
        Issuing => "준비중",
        Sending => "발송중",
        Paused => "일시정지",
        Error => "오류",
        Cancelling => "취소중",
        Cancelled => "취소",
        Completed => "완료",
        PartiallyFailed => "부분오류",
        Failed => "실패",
        _ => status,
    };
}
