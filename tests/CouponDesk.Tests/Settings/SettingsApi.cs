using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Tests.Campaigns;

namespace CouponDesk.Tests.Settings;

public static class SettingsApi
{
    public static async Task<JsonElement> GetAsync(HttpClient admin) =>
        await CampaignApi.ReadAsync(await admin.GetAsync("/api/settings"), HttpStatusCode.OK);

    public static string? Value(JsonElement settings, string key) =>
        settings.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("key").GetString() == key).GetProperty("value").GetString();

    /// <summary>PUT with the version just read; <paramref name="values"/> is sent as JSON as it is.</summary>
    public static async Task<HttpResponseMessage> PutAsync(HttpClient admin, object values, long? version = null)
    {
        version ??= (await GetAsync(admin)).GetProperty("version").GetInt64();
        return await admin.PutAsJsonAsync("/api/settings", new { version, values });
    }

    public static async Task<JsonElement> ChangeAsync(HttpClient admin, object values) =>
        await CampaignApi.ReadAsync(await PutAsync(admin, values), HttpStatusCode.OK);

    /// <summary>Every setting back to the configuration file's value.</summary>
    public static async Task ResetAsync(HttpClient admin)
    {
        var settings = await GetAsync(admin);
        var overridden = settings.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("overridden").GetBoolean())
            .ToDictionary(i => i.GetProperty("key").GetString()!, _ => (object?)null);
        if (overridden.Count > 0)
        {
            await ChangeAsync(admin, overridden);
        }
    }
}
