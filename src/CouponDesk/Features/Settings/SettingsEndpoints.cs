using System.Globalization;
using System.Text.Json;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Audit;
using CouponDesk.Hosting;
using CouponDesk.Security;
using CouponDesk.Web.Errors;

namespace CouponDesk.Features.Settings;

public sealed record SettingsChangeRequest(long? Version, Dictionary<string, JsonElement>? Values);

/// <summary>
/// 설정 (spec §3.11, P24 = ADMIN): read the values in force, change some of them (all or nothing, checked against the
/// same rules as the configuration file, one audit event with old → new), and send a test alert to the webhook.
/// </summary>
public sealed class SettingsEndpoints : IEndpointModule
{
    public const string ChangedAction = "settings.changed";
    public const string WebhookTestedAction = "settings.webhook_tested";
    public const int MaxUrlLength = 1000;

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/settings").RequireAuthorization(Policies.ManageSettings).WithTags("Settings");
        group.MapGet("", (SettingsView view, CancellationToken ct) => view.LoadAsync(ct));
        group.MapPut("", ChangeAsync);
        group.MapPost("/webhook-test", TestWebhookAsync);
    }

    private static async Task<IResult> ChangeAsync(
        SettingsChangeRequest? request, HttpContext http, SettingsStore store, SettingsBinder binder, SettingsView view, LiveSettings live, CancellationToken ct)
    {
        if (request?.Version is not { } version || request.Values is not { Count: > 0 } values)
        {
            return ApiProblem.Validation("values", "변경할 설정과 불러온 설정의 버전(version)을 보내 주세요.").ToResult();
        }

        var errors = new Dictionary<string, string[]>();
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, element) in values)
        {
            if (SettingsCatalog.Find(key) is not { } definition)
            {
                errors[key] = ["알 수 없는 설정입니다."];
                continue;
            }

            if (ReadValue(definition, element, out var text) is { } bad)
            {
                errors[key] = [bad];
                continue;
            }

            changes[key] = text;
        }

        if (errors.Count > 0)
        {
            return Problem(errors);
        }

        var current = await store.LoadAsync(ct);
        if (current.Version != version)
        {
            return Stale();
        }

        var merged = new Dictionary<string, string>(current.Values, StringComparer.Ordinal);
        foreach (var (key, text) in changes)
        {
            if (text is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = text;
            }
        }

        // The whole options object again, with every validator the configuration file meets (cross-field and custom rules).
        foreach (var type in changes.Keys.Select(k => SettingsCatalog.Find(k)!.OptionsType).Distinct())
        {
            foreach (var failure in binder.Validate(type, binder.Bind(type, merged)))
            {
                var key = SettingsCatalog.All.FirstOrDefault(d => d.OptionsType == type && failure.StartsWith(d.Key + ":", StringComparison.Ordinal) && changes.ContainsKey(d.Key))?.Key
                    ?? changes.Keys.First(k => SettingsCatalog.Find(k)!.OptionsType == type);
                var definition = SettingsCatalog.Find(key)!;
                errors[key] = [definition.Kind == SettingKind.SecretUrl ? "웹훅 주소는 https:// 로 시작하는 전체 주소로 입력해 주세요." : $"'{definition.Label}' 값이 다른 설정과 맞지 않습니다."];
            }
        }

        if (errors.Count > 0)
        {
            return Problem(errors);
        }

        var details = Describe(binder, current.Values, merged, changes.Keys);
        if (details.Count == 0)
        {
            return Results.Ok(await view.BuildAsync(current, ct));
        }

        var actor = AuditActor.From(http);
        var entry = actor.Entry(ChangedAction) with
        {
            TargetType = "settings",
            Subject = string.Join(", ", details.Keys.Select(k => SettingsCatalog.Find(k)!.Label)),
            Details = details,
        };
        if (await store.SaveAsync(version, changes.Where(c => details.ContainsKey(c.Key)).ToDictionary(), actor.UserId, entry, ct) == SettingsStore.SaveOutcome.Stale)
        {
            return Stale();
        }

        // This process at once; the others within their poll interval.
        await live.RefreshAsync(ct);
        return Results.Ok(await view.LoadAsync(ct));
    }

    private static async Task<IResult> TestWebhookAsync(HttpContext http, AlertsOptions options, AlertWebhookSender sender, AuditTrail audit, CancellationToken ct)
    {
        if (!options.WebhookConfigured)
        {
            return ApiProblem.Conflict("webhook_not_configured", "운영 알림 웹훅이 설정되어 있지 않습니다. 주소를 먼저 저장하세요.").ToResult();
        }

        var actor = AuditActor.From(http);
        var body = AlertWebhookSender.BodyFor(new QueuedAlert(
            new OperationsAlert("settings.test", $"시험 알림입니다. 설정 화면에서 {actor.Login} 님이 보냈습니다.", AlertSeverity.Info), 0));
        var outcome = await sender.PostOnceAsync(body, ct);
        await audit.WriteAsync(actor.Entry(WebhookTestedAction, outcome.Succeeded ? AuditOutcome.Success : AuditOutcome.Failure) with
        {
            TargetType = "settings",
            Subject = SettingsView.MaskUrl(options.WebhookUrl ?? ""),
            Reason = outcome.Succeeded ? null : outcome.Status?.ToString(CultureInfo.InvariantCulture) ?? outcome.Error,
        }, ct);
        if (outcome.Succeeded)
        {
            return Results.Ok(new { message = "시험 알림을 보냈습니다. 알림 채널에서 확인하세요." });
        }

        var why = outcome.Status is { } status ? $"HTTP {status} 응답" : "응답 없음";
        return new ApiProblem(StatusCodes.Status502BadGateway, "webhook_test_failed", "Webhook test failed", $"시험 알림을 보내지 못했습니다 ({why}). 웹훅 주소를 확인하세요.").ToResult();
    }

    /// <summary>Invariant text of a JSON value, or a Korean message; null text = back to the configuration file's value.</summary>
    private static string? ReadValue(SettingDefinition definition, JsonElement element, out string? text)
    {
        text = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                text = element.GetBoolean() ? "true" : "false";
                break;
            case JsonValueKind.Number:
                text = element.GetRawText();
                break;
            case JsonValueKind.String:
                text = element.GetString()!.Trim();
                break;
            default:
                return $"'{definition.Label}' 값의 형식이 올바르지 않습니다.";
        }

        if (definition.Kind == SettingKind.SecretUrl)
        {
            if (text.Length > MaxUrlLength || text.Any(char.IsControl) || text.Any(char.IsWhiteSpace))
            {
                return $"웹훅 주소는 공백 없이 {MaxUrlLength}자까지 입력할 수 있습니다.";
            }

            return null;
        }

        return SettingsBinder.CheckValue(definition, text);
    }

    /// <summary>"old → new" of each key whose value in force or whose origin changes; a secret shows only that it changed.</summary>
    private static Dictionary<string, string?> Describe(SettingsBinder binder, IReadOnlyDictionary<string, string> before, Dictionary<string, string> after, IEnumerable<string> keys)
    {
        var details = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var definition = SettingsCatalog.Find(key)!;
            var old = SettingsBinder.Format(definition, binder.Bind(definition.OptionsType, before));
            var now = SettingsBinder.Format(definition, binder.Bind(definition.OptionsType, after));
            var originChanged = before.ContainsKey(key) != after.ContainsKey(key);
            if (old == now && !originChanged)
            {
                continue;
            }

            details[key] = definition.Kind == SettingKind.SecretUrl
                ? $"{(old.Length > 0 ? "설정됨" : "없음")} → {(now.Length == 0 ? "없음" : old == now ? "변경 없음" : "변경됨")}{(after.ContainsKey(key) ? "" : " (설정 파일 값)")}"
                : $"{old} → {now}{(after.ContainsKey(key) ? "" : " (설정 파일 값)")}";
        }

        return details;
    }

    private static IResult Problem(Dictionary<string, string[]> errors) =>
        ApiProblem.Validation(errors, errors.Values.First()[0]).ToResult();

    private static IResult Stale() =>
        ApiProblem.Conflict("settings_changed", "다른 관리자가 설정을 먼저 변경했습니다. 화면을 새로 불러온 뒤 다시 저장하세요.").ToResult();
}
