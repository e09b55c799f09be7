using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Features.Privacy;

/// <summary>
/// One kind of personal data that must be destroyed when its retention ends (spec §7.5–§7.6). Features register theirs
/// with <c>services.AddPiiPurgeStep&lt;T&gt;()</c>: recipients' phones and names 90 days after the item is finished,
/// messages' phones, C/S memos… A step destroys irreversibly (ciphertext and blind index deleted, files removed),
/// skips data under a legal hold, works in batches and returns how many values it destroyed — never which.
/// </summary>
public interface IPiiPurgeStep
{
    /// <summary>Stable name for the audit entry, e.g. <c>recipients.phone</c>.</summary>
    string Name { get; }

    Task<long> PurgeAsync(PiiPurgeContext context, CancellationToken cancellationToken);
}

/// <summary>What every step is given: "now" and the configured retention after an item is finished.</summary>
public sealed record PiiPurgeContext(DateTime NowUtc, TimeSpan RetentionAfterFinish);

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Days personal data of a finished delivery item is kept (spec §7.5: 90).</summary>
    [Range(1, 3650)]
    public int PiiRetentionDays { get; set; } = 90;

    /// <summary>Days staff personal fields are kept after the account was deactivated (spec §7.5: 1 year).</summary>
    [Range(1, 3650)]
    public int StaffRetentionDaysAfterDeactivation { get; set; } = 365;
}

public static class PiiPurgeRegistration
{
    public static IServiceCollection AddPiiPurgeStep<TStep>(this IServiceCollection services)
        where TStep : class, IPiiPurgeStep =>
        services.AddSingleton<IPiiPurgeStep, TStep>();
}

/// <summary>Runs every registered step; each run writes one audit entry with the counts per step (spec §7.6).</summary>
public sealed class PiiPurge(IEnumerable<IPiiPurgeStep> steps, PrivacyOptions options, AuditTrail audit, TimeProvider time, ILogger<PiiPurge> logger)
{
    public IReadOnlyList<string> StepNames => steps.Select(s => s.Name).ToList();

    public async Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken = default)
    {
        var context = new PiiPurgeContext(time.GetUtcNow().UtcDateTime, TimeSpan.FromDays(options.PiiRetentionDays));
        var counts = new Dictionary<string, long>();
        var failed = new List<string>();
        foreach (var step in steps)
        {
            try
            {
                counts[step.Name] = await step.PurgeAsync(context, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing step must not keep the others' data past its date; the failure is audited and alerted in the log.
                logger.LogError(ex, "PII purge step {Step} failed", step.Name);
                failed.Add(step.Name);
            }
        }

        await audit.WriteAsync(
            new AuditEntry
            {
                Action = AuditActions.PiiPurged,
                Outcome = failed.Count == 0 ? AuditOutcome.Success : AuditOutcome.Failure,
                ActorLogin = AuditEntry.SystemActor,
                Reason = failed.Count == 0 ? null : "failed steps: " + string.Join(", ", failed),
                Details = counts.ToDictionary(c => c.Key, c => (string?)c.Value.ToString(CultureInfo.InvariantCulture)),
            },
            cancellationToken);
        return counts;
    }

    /// <summary>Daily at 03:00 KST (spec §5.8); a missed run fires once when a node is back.</summary>
    public sealed class Job(PiiPurge purge) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await purge.RunAsync(cancellationToken);
    }

    public sealed class Registration : IJobRegistration
    {
        public void Register(IQuartzBuilder quartz) => quartz.ScheduleJob<Job>(
            trigger => trigger.WithIdentity("pii-purge").WithCronSchedule("0 0 3 * * ?", c => c.InTimeZone(Kst.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.StoreDurably().WithIdentity("pii-purge"));
    }
}
