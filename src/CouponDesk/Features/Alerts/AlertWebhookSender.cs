using System.Text.Json.Serialization;
using CouponDesk.Shared.Logging;

namespace CouponDesk.Features.Alerts;

/// <summary>
/// Posts queued alerts to the configured webhook, one at a time, as Slack-compatible JSON
/// (<c>{"text": …, "kind": …, "severity": …, "subject": …}</c>), with a short timeout and a few attempts. The text is
/// masked once more on the way out (phone and coupon numbers), as the last line of defence. Runs in every process that
/// raises alerts (web: lockouts, worker: campaigns, jobs: health checks).
/// </summary>
public sealed class AlertWebhookSender(
    AlertQueue queue,
    IHttpClientFactory httpClients,
    AlertsOptions options,
    ILogger<AlertWebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "alerts-webhook";

    public sealed record WebhookBody(
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("severity")] string Severity,
        [property: JsonPropertyName("subject")] string? Subject);

    public static WebhookBody BodyFor(QueuedAlert queued)
    {
        var alert = queued.Alert;
        var label = alert.Severity switch
        {
            AlertSeverity.Critical => "긴급",
            AlertSeverity.Info => "안내",
            _ => "경고",
        };
        var subject = alert.Subject is null ? "" : $" ({SensitiveDataMasker.Mask(alert.Subject)})";
        var repeats = queued.Suppressed > 0 ? $" — 같은 알림 {queued.Suppressed}건 생략" : "";
        var text = $"[CouponDesk {label}] {alert.Kind}{subject}: {SensitiveDataMasker.Mask(alert.Message)}{repeats}";
        return new WebhookBody(text, alert.Kind, alert.Severity.ToString().ToLowerInvariant(), alert.Subject is null ? null : SensitiveDataMasker.Mask(alert.Subject));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var queued in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(queued, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is in the log already.
        }
    }

    /// <summary>The outcome of one POST: success, or the HTTP status / failure type (never the URL, which holds the secret).</summary>
    public sealed record Attempt(bool Succeeded, int? Status, string? Error);

    /// <summary>One POST of <paramref name="body"/> to the webhook in force now, with the configured timeout (also 설정's 시험 알림).</summary>
    public async Task<Attempt> PostOnceAsync(WebhookBody body, CancellationToken ct)
    {
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            using var response = await client.PostAsJsonAsync(options.WebhookUrl, body, timeout.Token);
            return new Attempt(response.IsSuccessStatusCode, (int)response.StatusCode, null);
        }
        catch (Exception ex) when ((ex is HttpRequestException or OperationCanceledException or InvalidOperationException) && !ct.IsCancellationRequested)
        {
            return new Attempt(false, null, ex.GetType().Name);
        }
    }

    private async Task SendAsync(QueuedAlert queued, CancellationToken ct)
    {
        var body = BodyFor(queued);
        for (var attempt = 1; attempt <= options.Attempts; attempt++)
        {
            var outcome = await PostOnceAsync(body, ct);
            if (outcome.Succeeded)
            {
                Web.Metrics.CouponDeskMetrics.AlertSent(body.Kind);
                return;
            }

            // The URL holds the webhook's secret: log the status or the failure type only.
            if (outcome.Status is { } status)
            {
                logger.LogWarning("Alert webhook answered HTTP {Status} for {AlertKind} (attempt {Attempt} of {Attempts})", status, body.Kind, attempt, options.Attempts);
            }
            else
            {
                logger.LogWarning("Alert webhook failed for {AlertKind} (attempt {Attempt} of {Attempts}): {Error}", body.Kind, attempt, options.Attempts, outcome.Error);
            }

            if (attempt < options.Attempts)
            {
                await Task.Delay(options.RetryDelayMs, ct);
            }
        }

        logger.LogError("Alert {AlertKind} {AlertSubject} could not be sent to the webhook; it is in the log only", body.Kind, body.Subject);
    }
}
