using System.ComponentModel.DataAnnotations;

namespace CouponDesk.Features.Alerts;

/// <summary>The operations-alert channel (section <c>Alerts</c>, spec §3.11 운영 알림 웹훅, §5.9).</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// Slack-compatible incoming webhook (<c>{"text": …}</c>); empty = the log only. https is required outside
    /// Development and Testing (<see cref="AlertsOptionsValidator"/>). The URL carries a secret: it is never logged.
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Repeats of the same (kind, subject) within this window are logged but not sent again.</summary>
    [Range(0, 86_400)]
    public int ThrottleSeconds { get; set; } = 600;

    /// <summary>Timeout of one webhook POST.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>POSTs per alert before it is given up (the log line stays).</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>Pause before the 2nd and later attempts.</summary>
    [Range(0, 60_000)]
    public int RetryDelayMs { get; set; } = 2_000;

    /// <summary>Alerts waiting to be sent; when full, new alerts are only logged (raising never waits).</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 500;

    /// <summary>Agent delay (spec §5.9): a ready <c>UMS_MSG</c> row due more than this many minutes ago raises <c>agent.delay</c>.</summary>
    [Range(1, 1440)]
    public int AgentDelayMinutes { get; set; } = 5;

    /// <summary>Worker down (spec §5.9): a process whose heartbeat has been missing this long, and that did not stop cleanly, raises <c>worker.down</c>.</summary>
    [Range(1, 1440)]
    public int WorkerSilentMinutes { get; set; } = 3;

    /// <summary>Disk use (spec §5.9): a watched store's file system fuller than this raises <c>disk.usage</c>.</summary>
    [Range(1, 100)]
    public int DiskUsePercent { get; set; } = 80;

    /// <summary>Image generation (spec §5.9): more than this share of failed renders in the window raises <c>image.failures</c>.</summary>
    [Range(0, 100)]
    public double ImageFailurePercent { get; set; } = 5;

    /// <summary>Image generation (spec §5.9): a mean render time above this in the window raises <c>image.slow</c>.</summary>
    [Range(0.1, 600)]
    public double ImageMeanSeconds { get; set; } = 3;

    /// <summary>The sliding window the image figures are taken over.</summary>
    [Range(1, 1440)]
    public int ImageWindowMinutes { get; set; } = 5;

    /// <summary>Fewer renders than this in the window say nothing (one failure of three is not a 33 % failure rate).</summary>
    [Range(1, 100_000)]
    public int ImageMinSamples { get; set; } = 20;

    public bool WebhookConfigured => !string.IsNullOrWhiteSpace(WebhookUrl);
}
