using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Privacy;

/// <summary>When a group of purge steps runs (spec §5.8); each run of a group writes one audit entry.</summary>
public enum PurgeSchedule
{
    /// <summary>Daily 02:00 KST: upload row errors (and files) older than 7 days.</summary>
    Uploads,

    /// <summary>Daily 02:30 KST: rendered JPEGs 7 days after their message's result.</summary>
    Images,

    /// <summary>Daily 03:00 KST: personal data 90 days after the item finished, requester contacts after 2 years, staff fields.</summary>
    PersonalData,

    /// <summary>Monthly (the 1st, 03:45 KST, after the audit purge): business records de-identified after 2 years; the agent's month logs scrubbed.</summary>
    Monthly,
}

/// <summary>
/// One kind of personal data that must be destroyed when its retention ends (spec §7.5–§7.6). Features register theirs
/// with <c>services.AddPiiPurgeStep&lt;T&gt;()</c>. A step destroys irreversibly (ciphertext and blind index deleted,
/// files removed), skips campaigns on 보존 연장 (<see cref="LegalHolds.NotHeld"/>), works in batches that each commit
/// on their own, and reports through <see cref="PiiPurgeContext.Count"/> how many values each committed batch destroyed —
/// never which. Its statements only touch values still present, so a run that failed part-way is simply resumed by
/// the next one and nothing is counted twice.
/// </summary>
public interface IPiiPurgeStep
{
    /// <summary>Stable name for the audit entry, e.g. <c>recipients.phone</c>.</summary>
    string Name { get; }

    PurgeSchedule Schedule => PurgeSchedule.PersonalData;

    Task PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken);
}

/// <summary>What every step is given — "now" and the retention periods — and the count it adds to after each committed batch.</summary>
public sealed class PiiPurgeContext(DateTime nowUtc, PrivacyOptions options)
{
    public DateTime NowUtc { get; } = nowUtc;

    /// <summary>Personal data of a finished delivery item (spec §7.5: 90 days).</summary>
    public TimeSpan RetentionAfterFinish { get; } = TimeSpan.FromDays(options.PiiRetentionDays);

    public PrivacyOptions Options { get; } = options;

    /// <summary>How many values this step destroyed so far in this run (what was committed).</summary>
    public long Destroyed { get; private set; }

    public void Count(long destroyed) => Destroyed += destroyed;
}

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Days personal data of a finished delivery item is kept (spec §7.5: 90).</summary>
    [Range(1, 3650)]
    public int PiiRetentionDays { get; set; } = 90;

    /// <summary>Days staff personal fields are kept after the account was deactivated (spec §7.5: 1 year).</summary>
    [Range(1, 3650)]
    public int StaffRetentionDaysAfterDeactivation { get; set; } = 365;

    /// <summary>Days upload row errors (and uploaded files) are kept (spec §7.5: 7).</summary>
    [Range(1, 3650)]
    public int UploadRetentionDays { get; set; } = 7;

    /// <summary>Days after its campaign finished that the requester's name, phone and e-mail are kept (spec §7.5: 2 years).</summary>
    [Range(1, 3650)]
    public int RequesterRetentionDays { get; set; } = 730;

    /// <summary>Days after its campaign finished that send and coupon records are kept before de-identification (spec §7.5: 2 years).</summary>
    [Range(1, 3650)]
    public int BusinessRecordRetentionDays { get; set; } = 730;

    /// <summary>Days <c>PHONE</c> / <c>MSG</c> stay in the agent's month log tables (spec §7.5: 90).</summary>
    [Range(1, 3650)]
    public int AgentLogRetentionDays { get; set; } = 90;
}

public static class PiiPurgeRegistration
{
    public static IServiceCollection AddPiiPurgeStep<TStep>(this IServiceCollection services)
        where TStep : class, IPiiPurgeStep =>
        services.AddSingleton<IPiiPurgeStep, TStep>();
}

/// <summary>Runs the registered steps of a schedule; each run writes one audit entry with the counts per step (spec §7.6).</summary>
public sealed class PiiPurge(IEnumerable<IPiiPurgeStep> steps, PrivacyOptions options, AuditTrail audit, TimeProvider time, ILogger<PiiPurge> logger)
{
    public IReadOnlyList<string> StepNames => steps.Select(s => s.Name).ToList();

    /// <summary>Every step of every schedule in one run (the tests and a manual catch-up).</summary>
    public Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken = default) =>
        RunStepsAsync(steps.ToList(), null, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> RunAsync(PurgeSchedule schedule, CancellationToken cancellationToken = default) =>
        RunStepsAsync(steps.Where(s => s.Schedule == schedule).ToList(), schedule, cancellationToken);

    private async Task<IReadOnlyDictionary<string, long>> RunStepsAsync(List<IPiiPurgeStep> selected, PurgeSchedule? schedule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var counts = new Dictionary<string, long>();
        var failed = new List<string>();
        foreach (var step in selected)
        {
            var context = new PiiPurgeContext(now, options);
            try
            {
                await step.PurgeAsync(context, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing step must not keep the others' data past its date. What it destroyed before failing is
                // counted; the next run resumes with what is left (the failure is audited and logged, without values).
                logger.LogError("PII purge step {Step} failed after {Count} values: {Error}", step.Name, context.Destroyed, ex.GetType().Name);
                failed.Add(step.Name);
            }

            counts[step.Name] = context.Destroyed;
        }

        var details = counts.ToDictionary(c => c.Key, c => (string?)c.Value.ToString(CultureInfo.InvariantCulture));
        if (schedule is { } s)
        {
            details["schedule"] = s.ToString();
        }

        await audit.WriteAsync(
            new AuditEntry
            {
                Action = AuditActions.PiiPurged,
                Outcome = failed.Count == 0 ? AuditOutcome.Success : AuditOutcome.Failure,
                ActorLogin = AuditEntry.SystemActor,
                Reason = failed.Count == 0 ? null : "failed steps: " + string.Join(", ", failed),
                Details = details,
            },
            cancellationToken);
        return counts;
    }

    /// <summary>Runs the schedule named in the job data; a missed run fires once when a node is back.</summary>
    [DisallowConcurrentExecution]
    public sealed class Job(PiiPurge purge) : IJob
    {
        public const string ScheduleKey = "schedule";

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
            await purge.RunAsync(Enum.Parse<PurgeSchedule>(context.MergedJobDataMap.GetString(ScheduleKey)!), cancellationToken);
    }

    /// <summary>The times of spec §5.8, KST.</summary>
    public sealed class Registration : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz)
        {
            Schedule(quartz, "pii-purge-uploads", "0 0 2 * * ?", PurgeSchedule.Uploads);
            Schedule(quartz, "pii-purge-images", "0 30 2 * * ?", PurgeSchedule.Images);
            Schedule(quartz, "pii-purge", "0 0 3 * * ?", PurgeSchedule.PersonalData);
            Schedule(quartz, "pii-purge-monthly", "0 45 3 1 * ?", PurgeSchedule.Monthly);
        }

        private static void Schedule(IQuartzBuilder quartz, string name, string cron, PurgeSchedule schedule) => quartz.ScheduleJob<Job>(
            trigger => trigger.WithIdentity(name).WithCronSchedule(cron, c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.StoreDurably().WithIdentity(name).UsingJobData(Job.ScheduleKey, schedule.ToString()));
    }
}
