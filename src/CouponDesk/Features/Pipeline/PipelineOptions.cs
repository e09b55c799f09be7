using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Pipeline;

/// <summary>Tuning of the campaign pipeline (section <c>Pipeline</c>). Tests use short intervals.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>How often an idle loop looks for work again.</summary>
    [Range(10, 60_000)]
    public int PollIntervalMs { get; set; } = 500;

    /// <summary>COUFUN create calls one worker process runs at once (the shared <c>CoufunCallGate</c> caps all processes).</summary>
    [Range(1, 256)]
    public int IssueConcurrency { get; set; } = 16;

    /// <summary>Coupons per create call (CREATE_CNT, 1–10).</summary>
    [Range(1, 10)]
    public int CouponsPerOrder { get; set; } = 10;

    /// <summary>
    /// Adaptive order size (D-PIPE-30): one coupon per call while answers are being lost, <see cref="CouponsPerOrder"/> when
    /// the supplier answers. Off: always <see cref="CouponsPerOrder"/>.
    /// </summary>
    public bool AdaptiveOrderSize { get; set; } = true;

    /// <summary>Answered create calls in a row (cluster-wide) after a lost answer before calls buy <see cref="CouponsPerOrder"/> again.</summary>
    [Range(1, 100_000)]
    public int HealthyAfterCalls { get; set; } = 100;

    /// <summary>Items claimed per render-and-queue batch (one multi-row insert per batch).</summary>
    [Range(1, 1000)]
    public int QueueBatchSize { get; set; } = 200;

    /// <summary>Render threads; 0 = one per core.</summary>
    [Range(0, 64)]
    public int RenderParallelism { get; set; }

    /// <summary>Create attempts per order for transient failures (spec §5.2: 3).</summary>
    [Range(1, 10)]
    public int IssueAttempts { get; set; } = 3;

    /// <summary>Backoff before the 2nd and later create attempts, in ms (spec §5.2: 2 s, then 10 s).</summary>
    public int[] IssueBackoffMs { get; set; } = [2000, 10_000];

    /// <summary>
    /// A C/S replacement coupon (번호변경 after delivery, spec D13: "자동으로 재시도합니다") keeps retrying transient
    /// failures this long after its order was planned, every <see cref="CsOrderRetrySeconds"/> once the normal backoff is used.
    /// </summary>
    [Range(1, 168)]
    public int CsOrderRetryHours { get; set; } = 24;

    [Range(1, 86_400)]
    public int CsOrderRetrySeconds { get; set; } = 600;

    /// <summary>Consecutive failed create calls of one campaign that stop it (ERROR, spec §5.2: 20).</summary>
    [Range(1, 10_000)]
    public int FailureStreakLimit { get; set; } = 20;

    /// <summary>Create calls per campaign kept for the failure-rate rule (spec §5.2: the last 200; D-PIPE-7).</summary>
    [Range(10, 1000)]
    public int FailureWindowCalls { get; set; } = 200;

    /// <summary>More failed calls than this share of <see cref="FailureWindowCalls"/> stop the campaign (ERROR, spec §5.2: 10 %).</summary>
    [Range(1, 100)]
    public int FailureWindowPercent { get; set; } = 10;

    /// <summary>How long a claim (an order in flight, a render batch) is held before another worker may take it over.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 90;

    /// <summary>
    /// Spending guard: coupons bought or being bought never pass the approved estimate; coupons possibly bought twice
    /// (in-doubt orders) may add at most this share of the estimate, or one full order, whichever is larger (D-PIPE-3).
    /// </summary>
    [Range(0, 100)]
    public double SpendingMarginPercent { get; set; } = 10;

    /// <summary>Runs the delivery-result sync from the worker every N seconds; 0 = leave it to the jobs role's Quartz job.</summary>
    [Range(0, 3600)]
    public int ResultSyncIntervalSeconds { get; set; }

    /// <summary>Send time passed more than this many minutes before start → ERROR "예약 시각 경과" (spec §5.1: 2 h).</summary>
    [Range(1, 10_000)]
    public int MissedScheduleMinutes { get; set; } = 120;

    /// <summary>Items of a running campaign still not queued this many minutes after its send time → warning + <c>campaign.late</c> alert (spec §5.1: 5).</summary>
    [Range(1, 1440)]
    public int LateAfterMinutes { get; set; } = 5;

    /// <summary>How often the starter re-computes the start times of scheduled campaigns from measured throughput (spec §5.8: 30 s).</summary>
    [Range(1, 3600)]
    public int StartReplanSeconds { get; set; } = 30;

    /// <summary>Render-and-queue loops per worker: with 2+, one batch renders while another is being inserted (D-PIPE-19).</summary>
    [Range(1, 16)]
    public int RenderQueueLoops { get; set; } = 2;

    /// <summary>Prefix of our TR_IDs: letters and digits, including an environment letter (coufun-b2c-api.md §8.1).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]{2,20}$")]
    public string TrIdPrefix { get; set; } = "CDP";
}
