using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CouponDesk.Security;
using CouponDesk.Tests.Alerts;
using CouponDesk.Tests.Campaigns;
using Dapper;

namespace CouponDesk.Tests.Settings;

/// <summary>설정 API (spec §3.11): values in force, changes checked by the configuration file's rules, audit, the webhook secret.</summary>
public sealed class SettingsEndpointTests(SettingsTestFactory factory) : IClassFixture<SettingsTestFactory>
{
    [Fact]
    public async Task The_file_gives_the_defaults_and_a_database_value_wins_until_reset()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        try
        {
            var settings = await SettingsApi.GetAsync(admin);
            Assert.Equal("21", SettingsApi.Value(settings, "Campaigns:NightStartHour"));
            Assert.Equal("true", SettingsApi.Value(settings, "Approvals:BulkDiscard"));
            var item = settings.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("key").GetString() == "Security:Sessions:MaxConcurrentSessions");
            Assert.Equal((1, 3), (item.GetProperty("min").GetInt32(), item.GetProperty("max").GetInt32()));
            Assert.True(settings.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("key").GetString() == "Approvals:Resend").GetProperty("visible").GetBoolean());

            var changed = await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Security:Sessions:MaxConcurrentSessions"] = 3, ["Catalog:ManualRunsPerDay"] = "5" });
            Assert.Equal(("3", "5"), (SettingsApi.Value(changed, "Security:Sessions:MaxConcurrentSessions"), SettingsApi.Value(changed, "Catalog:ManualRunsPerDay")));
            Assert.Equal(settings.GetProperty("version").GetInt64() + 1, changed.GetProperty("version").GetInt64());

            var details = await factory.ScalarAsync<string>("SELECT details FROM audit_log WHERE action = 'settings.changed' ORDER BY id DESC LIMIT 1");
            var audit = JsonDocument.Parse(details).RootElement;
            Assert.Equal("1 → 3", audit.GetProperty("Security:Sessions:MaxConcurrentSessions").GetString());
            Assert.Equal("3 → 5", audit.GetProperty("Catalog:ManualRunsPerDay").GetString());
        }
        finally
        {
            await SettingsApi.ResetAsync(admin);
        }

        Assert.Equal("1", SettingsApi.Value(await SettingsApi.GetAsync(admin), "Security:Sessions:MaxConcurrentSessions"));
        var reset = await factory.ScalarAsync<string>("SELECT details FROM audit_log WHERE action = 'settings.changed' ORDER BY id DESC LIMIT 1");
        Assert.Contains("3 → 1 (설정 파일 값)", reset, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> OutOfRange => new()
    {
        { "Campaigns:NightStartHour", "24", "'야간 발송 시작'은(는) 0~23 사이의 정수로 입력해 주세요." },
        { "Campaigns:NightEndHour", "-1", "'야간 발송 종료'은(는) 0~23 사이의 정수로 입력해 주세요." },
        { "Campaigns:MinLeadMinutes", "0", "'최소 준비 시간'은(는) 1~240 사이의 정수로 입력해 주세요." },
        { "Security:Sessions:MaxConcurrentSessions", "4", "'동시 세션 수'은(는) 1~3 사이의 정수로 입력해 주세요." },
        { "Security:Sessions:MaxConcurrentSessions", "\"two\"", "'동시 세션 수'은(는) 1~3 사이의 정수로 입력해 주세요." },
        { "Security:Sessions:MaxConcurrentSessions", "1.5", "'동시 세션 수'은(는) 1~3 사이의 정수로 입력해 주세요." },
        { "Security:Sessions:MaxConcurrentSessions", "99999999999999999999", "'동시 세션 수'은(는) 1~3 사이의 정수로 입력해 주세요." },
        { "Security:Login:AutoUnlockMinutes", "10081", "'자동 잠금 해제'은(는) 0~10080 사이의 정수로 입력해 주세요." },
        { "Security:Login:PasswordMaxAgeDays", "3651", "'비밀번호 변경 주기'은(는) 0~3650 사이의 정수로 입력해 주세요." },
        { "Catalog:ManualRunsPerDay", "101", "'수동 상품 동기화 횟수'은(는) 0~100 사이의 정수로 입력해 주세요." },
        { "Campaigns:NightMode", "\"Sometimes\"", "'야간 발송 처리'은(는) 경고 (확인 후 발송) 또는 차단 중에서 선택해 주세요." },
        { "Approvals:Resend", "\"yes\"", "'재발송 승인'은(는) 켜기 또는 끄기만 선택할 수 있습니다." },
        { "Campaigns:NightStartHour", "{\"a\":1}", "'야간 발송 시작' 값의 형식이 올바르지 않습니다." },
        { "Alerts:WebhookUrl", "\"javascript:alert(1)\"", "웹훅 주소는 https:// 로 시작하는 전체 주소로 입력해 주세요." },
        { "Alerts:WebhookUrl", "\"ftp://hooks.example.invalid/x\"", "웹훅 주소는 https:// 로 시작하는 전체 주소로 입력해 주세요." },
        { "Alerts:WebhookUrl", "\"https://hooks.example.invalid/a b\"", "웹훅 주소는 공백 없이 1000자까지 입력할 수 있습니다." },
        { "Campaigns:MaxBannerBytes", "1024", "알 수 없는 설정입니다." },
        { "Database:ConnectionString", "\"Server=evil\"", "알 수 없는 설정입니다." },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task A_bad_value_is_refused_with_its_range_and_changes_nothing(string key, string json, string message)
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var before = await SettingsApi.GetAsync(admin);
        var body = "{\"version\":" + before.GetProperty("version").GetInt64() + ",\"values\":{\"Catalog:ManualRunsPerDay\":7," + JsonSerializer.Serialize(key) + ":" + json + "}}";

        var problem = await CampaignApi.ProblemAsync(
            await admin.PutAsync("/api/settings", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal([message], CampaignApi.FieldErrors(problem, key));
        var after = await SettingsApi.GetAsync(admin);
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Equal("3", SettingsApi.Value(after, "Catalog:ManualRunsPerDay"));
    }

    [Fact]
    public async Task A_stale_version_a_missing_version_and_other_roles_change_nothing()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var version = (await SettingsApi.GetAsync(admin)).GetProperty("version").GetInt64();

        await CampaignApi.ProblemAsync(await SettingsApi.PutAsync(admin, new Dictionary<string, object> { ["Catalog:ManualRunsPerDay"] = 2 }, version - 1), HttpStatusCode.Conflict, "settings_changed");
        await CampaignApi.ProblemAsync(await admin.PutAsJsonAsync("/api/settings", new { values = new Dictionary<string, object> { ["Catalog:ManualRunsPerDay"] = 2 } }), HttpStatusCode.BadRequest, "validation_failed");
        await CampaignApi.ProblemAsync(await admin.PutAsJsonAsync("/api/settings", new { version, values = new Dictionary<string, object>() }), HttpStatusCode.BadRequest, "validation_failed");
        foreach (var role in new[] { Roles.Operator, Roles.Viewer })
        {
            var other = await factory.CreateClientAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/settings")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await SettingsApi.PutAsync(other, new Dictionary<string, object> { ["Catalog:ManualRunsPerDay"] = 2 }, version)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync("/api/settings/webhook-test", null)).StatusCode);
        }

        Assert.Equal(version, (await SettingsApi.GetAsync(admin)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_webhook_is_masked_tested_through_the_alert_sender_and_never_audited_in_clear()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        await CampaignApi.ProblemAsync(await admin.PostAsync("/api/settings/webhook-test", null), HttpStatusCode.Conflict, "webhook_not_configured");
        await using var receiver = await WebhookReceiver.StartAsync();
        try
        {
            var settings = await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Alerts:WebhookUrl"] = receiver.Url });
            Assert.Equal($"http://{new Uri(receiver.Url).Host}/••••", SettingsApi.Value(settings, "Alerts:WebhookUrl"));
            Assert.DoesNotContain("secret", settings.GetRawText(), StringComparison.Ordinal);

            var answer = await CampaignApi.ReadAsync(await admin.PostAsync("/api/settings/webhook-test", null), HttpStatusCode.OK);
            Assert.Contains("시험 알림을 보냈습니다", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("settings.test", Assert.Single(receiver.Alerts).GetProperty("kind").GetString());

            var audit = await factory.ScalarAsync<string>("SELECT CONCAT(COALESCE(subject, ''), details) FROM audit_log WHERE action = 'settings.changed' ORDER BY id DESC LIMIT 1");
            Assert.Contains("없음 → 변경됨", audit, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", audit, StringComparison.Ordinal);
            Assert.DoesNotContain("T000", audit, StringComparison.Ordinal);
            Assert.Equal(0, await factory.ScalarAsync<long>("SELECT COUNT(*) FROM settings WHERE value LIKE '%secret%'"));
        }
        finally
        {
            await SettingsApi.ResetAsync(admin);
        }
    }

    [Fact]
    public async Task An_approval_switch_without_a_second_approver_warns()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var approvers = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE status = 'ACTIVE' AND role IN ('ADMIN', 'OPERATOR')");
        var settings = await SettingsApi.GetAsync(admin);
        // Bulk discard approval is on by default (spec §1.3); the warning follows the number of possible approvers.
        var expected = approvers < 2 ? new[] { "승인자로 지정할 수 있는 다른 사용자가 없습니다." } : [];
        Assert.Equal(expected, settings.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray());

        await using var connection = await factory.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET status = 'INACTIVE' WHERE role IN ('ADMIN', 'OPERATOR') AND login_id <> @me", new { me = await MeAsync(admin) });
        try
        {
            settings = await SettingsApi.GetAsync(admin);
            Assert.Equal(["승인자로 지정할 수 있는 다른 사용자가 없습니다."], settings.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray());
            settings = await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Approvals:BulkDiscard"] = false });
            Assert.Empty(settings.GetProperty("warnings").EnumerateArray());
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE users SET status = 'ACTIVE' WHERE status = 'INACTIVE'");
            await SettingsApi.ResetAsync(admin);
        }
    }

    [Fact]
    public async Task An_old_password_must_be_changed_once_the_change_cycle_is_set()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var account = await factory.CreateAccountAsync(Roles.Operator);
        await using var connection = await factory.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE users SET password_changed_at = @old WHERE id = @id", new { old = CampaignTestFactory.DefaultNow.UtcDateTime.AddDays(-31), id = account.Id });
        try
        {
            await SettingsApi.ChangeAsync(admin, new Dictionary<string, object> { ["Security:Login:PasswordMaxAgeDays"] = 30 });
            var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = account.LoginId, password = account.Password });
            Assert.True(JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("mustChangePassword").GetBoolean());
        }
        finally
        {
            await SettingsApi.ResetAsync(admin);
        }
    }

    private static async Task<string> MeAsync(HttpClient client) =>
        (await CampaignApi.ReadAsync(await client.GetAsync("/api/auth/me"), HttpStatusCode.OK)).GetProperty("loginId").GetString()!;
}
