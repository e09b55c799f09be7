using System.Globalization;
using CouponDesk.Data;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Users;
using Dapper;

namespace CouponDesk.Features.Settings;

public sealed record SettingItem(
    string Key, string Label, string Group, string Kind, bool Visible, string? Value, string? FileValue, bool Overridden,
    long? Min, long? Max, string? Unit, string? OffLabel, IReadOnlyList<SettingChoice> Choices, bool Configured);

public sealed record SettingChoice(string Value, string Label);

public sealed record SettingsResponse(long Version, IReadOnlyList<SettingItem> Items, IReadOnlyList<string> Warnings);

/// <summary>The 설정 page's data: each setting's value in force (database over file), the file's value, and the warnings of spec §1.3.</summary>
public sealed class SettingsView(SettingsStore store, SettingsBinder binder, DbConnectionFactory connections)
{
    public const string NoApproverWarning = "승인자로 지정할 수 있는 다른 사용자가 없습니다.";

    public async Task<SettingsResponse> LoadAsync(CancellationToken ct)
    {
        var snapshot = await store.LoadAsync(ct);
        return await BuildAsync(snapshot, ct);
    }

    public async Task<SettingsResponse> BuildAsync(SettingsStore.Snapshot snapshot, CancellationToken ct)
    {
        var empty = new Dictionary<string, string>();
        var effective = SettingsCatalog.OptionsTypes.ToDictionary(t => t, t => binder.Bind(t, snapshot.Values));
        var file = SettingsCatalog.OptionsTypes.ToDictionary(t => t, t => binder.Bind(t, empty));
        var items = SettingsCatalog.All.Select(d =>
        {
            var value = SettingsBinder.Format(d, effective[d.OptionsType]);
            var fileValue = SettingsBinder.Format(d, file[d.OptionsType]);
            var secret = d.Kind == SettingKind.SecretUrl;
            return new SettingItem(
                d.Key, d.Label, d.Group, d.Kind.ToString(), d.Visible,
                secret ? MaskUrl(value) : value, secret ? MaskUrl(fileValue) : fileValue, snapshot.Values.ContainsKey(d.Key),
                d.Range is { } r ? Convert.ToInt64(r.Minimum, CultureInfo.InvariantCulture) : null,
                d.Range is { } r2 ? Convert.ToInt64(r2.Maximum, CultureInfo.InvariantCulture) : null,
                d.Unit, d.OffLabel, [.. d.Choices.Select(c => new SettingChoice(c.Value, c.Label))], value.Length > 0);
        }).ToList();

        var warnings = new List<string>();
        if (((ApprovalOptions)effective[typeof(ApprovalOptions)]).AnyOn && await ApproversAsync(ct) < 2)
        {
            warnings.Add(NoApproverWarning);
        }

        return new SettingsResponse(snapshot.Version, items, warnings);
    }

    /// <summary>The webhook URL's token is its secret: only scheme and host are ever shown.</summary>
    public static string MaskUrl(string url) =>
        url.Length == 0 ? "" : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}/••••" : "••••";

    private async Task<long> ApproversAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE status = @active AND role IN ('ADMIN', 'OPERATOR')", new { active = AccountStatus.Active }, cancellationToken: ct));
    }
}
