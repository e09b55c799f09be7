using Microsoft.Extensions.Options;

namespace CouponDesk.Features.Alerts;

/// <summary>
/// The webhook URL must be absolute http(s); plain http only in Development and Testing (a loopback receiver), https
/// everywhere else, since the alert text and the URL's own token would otherwise cross the network in clear.
/// </summary>
public sealed class AlertsOptionsValidator(IHostEnvironment environment) : IValidateOptions<AlertsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        if (!options.WebhookConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return ValidateOptionsResult.Fail($"{AlertsOptions.Section}:WebhookUrl: must be an absolute https URL");
        }

        var httpAllowed = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        return uri.Scheme == Uri.UriSchemeHttp && !httpAllowed
            ? ValidateOptionsResult.Fail($"{AlertsOptions.Section}:WebhookUrl: must use https in {environment.EnvironmentName}")
            : ValidateOptionsResult.Success;
    }
}
