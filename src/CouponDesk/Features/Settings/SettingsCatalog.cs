using CouponDesk.Features.Alerts;
using CouponDesk.Features.Approvals;
using CouponDesk.Features.Auth;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Products;

namespace CouponDesk.Features.Settings;

/// <summary>Every setting of spec §3.11 that lives in the database (the sender numbers have their own table and API).</summary>
public static class SettingsCatalog
{
    public const string ApprovalGroup = "2인 승인";

    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        Switch(nameof(ApprovalOptions.CampaignCancel), "발송 취소 승인"),
        Switch(nameof(ApprovalOptions.Resend), "재발송 승인"),
        Switch(nameof(ApprovalOptions.PhoneChange), "번호변경 승인"),
        Switch(nameof(ApprovalOptions.CouponDiscard), "쿠폰폐기 승인"),
        Switch(nameof(ApprovalOptions.BulkDiscard), "일괄 폐기 승인"),
        new(CampaignOptions.Section, typeof(CampaignOptions), nameof(CampaignOptions.NightStartHour), "야간 발송 시작", "야간 발송", SettingKind.Number) { Unit = "시 (KST)" },
        new(CampaignOptions.Section, typeof(CampaignOptions), nameof(CampaignOptions.NightEndHour), "야간 발송 종료", "야간 발송", SettingKind.Number) { Unit = "시 (KST)" },
        new(CampaignOptions.Section, typeof(CampaignOptions), nameof(CampaignOptions.NightMode), "야간 발송 처리", "야간 발송", SettingKind.Choice)
        {
            Choices = [("Warn", "경고 (확인 후 발송)"), ("Block", "차단")],
        },
        new(CampaignOptions.Section, typeof(CampaignOptions), nameof(CampaignOptions.MinLeadMinutes), "최소 준비 시간", "발송", SettingKind.Number) { Unit = "분" },
        new(Auth.SessionOptions.Section, typeof(Auth.SessionOptions), nameof(Auth.SessionOptions.MaxConcurrentSessions), "동시 세션 수", "계정", SettingKind.Number) { Unit = "개" },
        new(LoginOptions.Section, typeof(LoginOptions), nameof(LoginOptions.AutoUnlockMinutes), "자동 잠금 해제", "계정", SettingKind.Number) { Unit = "분", OffLabel = "0 = 사용 안 함 (관리자만 해제)" },
        new(LoginOptions.Section, typeof(LoginOptions), nameof(LoginOptions.PasswordMaxAgeDays), "비밀번호 변경 주기", "계정", SettingKind.Number) { Unit = "일", OffLabel = "0 = 사용 안 함" },
        new(CatalogOptions.Section, typeof(CatalogOptions), nameof(CatalogOptions.ManualRunsPerDay), "수동 상품 동기화 횟수", "상품", SettingKind.Number) { Unit = "회 / 일" },
        new(AlertsOptions.Section, typeof(AlertsOptions), nameof(AlertsOptions.WebhookUrl), "운영 알림 웹훅", "운영 알림", SettingKind.SecretUrl),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static IEnumerable<Type> OptionsTypes => All.Select(d => d.OptionsType).Distinct();

    public static SettingDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    private static SettingDefinition Switch(string property, string label) =>
        new(ApprovalOptions.Section, typeof(ApprovalOptions), property, label, ApprovalGroup, SettingKind.Switch);
}
