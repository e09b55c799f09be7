namespace CouponDesk.Features.Exports;

/// <summary>Export states (spec §4.8) and what 다운로드 내역 shows for them (생성 중 / 완료 / 만료 / 실패).</summary>
public static class ExportStatus
{
    public const string Requested = "REQUESTED";
    public const string Generating = "GENERATING";
    public const string Ready = "READY";
    public const string Expired = "EXPIRED";
    public const string Failed = "FAILED";

    public const string KindList = "CAMPAIGN_LIST";
    public const string KindDetail = "CAMPAIGN_DETAIL";

    public const string ExpiredMessage = "다운로드 기간(24시간)이 만료되었습니다. 다시 요청하세요.";

    /// <summary>The state in force at <paramref name="nowUtc"/>: a READY file past its window is expired even before the cleanup ran.</summary>
    public static string Effective(string status, DateTime? expiresAt, DateTime nowUtc) =>
        status == Ready && expiresAt is { } at && nowUtc >= at ? Expired : status;

    public static string Label(string effective) => effective switch
    {
        Requested or Generating => "생성 중",
        Ready => "완료",
        Expired => "만료",
        _ => "실패",
    };
}
