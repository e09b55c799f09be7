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

    public bool WebhookConfigured => !string.IsNullOrWhiteSpace(WebhookUrl);
}
