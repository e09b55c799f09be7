namespace CouponDesk.Features.Audit;

/// <summary>
/// The Korean names of the audit log's stable codes (spec §3.7): every recorded action, and the reason codes the system
/// writes itself (login failures, why a session ended). The 감사로그 page and its CSV show these names, with the code
/// kept for searching (tooltip, own column); a code without a name here is shown as it is.
/// </summary>
public static class AuditLabels
{
    public sealed record Label(string Code, string Name, string Group);

    /// <summary>Every action, grouped as the page's filter lists them. A new action gets its line here (a test checks the code base).</summary>
    public static readonly IReadOnlyList<Label> Actions =
    [
        new("auth.login", "로그인", "로그인·세션"),
        new("auth.logout", "로그아웃", "로그인·세션"),
        new("auth.session_expired", "세션 만료", "로그인·세션"),
        new("auth.session_ended", "세션 종료", "로그인·세션"),
        new("auth.password_changed", "비밀번호 변경", "로그인·세션"),
        new("authz.denied", "권한 없음 (접근 거부)", "로그인·세션"),
        new("user.created", "사용자 등록", "사용자"),
        new("user.updated", "사용자 수정", "사용자"),
        new("user.viewed_personal_data", "사용자 개인정보 조회", "사용자"),
        new("user.locked", "계정 잠금", "사용자"),
        new("user.unlocked", "잠금 해제", "사용자"),
        new("user.password_reset", "비밀번호 초기화", "사용자"),
        new("user.sessions_ended", "세션 강제 종료", "사용자"),
        new("campaign.created", "발송 등록 (임시저장)", "발송"),
        new("campaign.updated", "발송 수정", "발송"),
        new("campaign.submitted", "발송 요청 (예약)", "발송"),
        new("campaign.unscheduled", "예약 해제", "발송"),
        new("campaign.deleted", "임시저장 삭제", "발송"),
        new("campaign.cancelled", "일괄취소", "발송"),
        new("campaign.cancel-running", "진행 중 발송 취소", "발송"),
        new("campaign.cancel-unsent", "미발송분 취소", "발송"),
        new("campaign.pause", "일시정지", "발송"),
        new("campaign.resume", "재개", "발송"),
        new("campaign.retry-failed", "실패 건 재시도", "발송"),
        new("campaign.discard-unused", "미사용 쿠폰 일괄 폐기", "발송"),
        new("campaign.banner_uploaded", "배너 업로드", "발송"),
        new("campaign.banner_removed", "배너 삭제", "발송"),
        new("campaign.items_searched", "수신자 검색", "발송"),
        new("recipients.staged", "수신자 업로드", "수신자"),
        new("recipients.accepted", "수신자 확정", "수신자"),
        new("recipients.discarded", "수신자 목록 삭제", "수신자"),
        new("recipients.errors_downloaded", "수신자 오류 목록 내려받기", "수신자"),
        new("export.requested", "엑셀 파일 요청", "내려받기"),
        new("export.campaign_list", "발송조회 엑셀 내려받기", "내려받기"),
        new("export.campaign_detail", "발송상세 엑셀 내려받기", "내려받기"),
        new("in_doubt.exported", "발급 확인 필요 CSV 내려받기", "내려받기"),
        new("audit.exported", "감사로그 내보내기", "내려받기"),
        new("in_doubt.settled", "발급 확인 정리", "발급 확인"),
        new("in_doubt.cancels", "확인된 쿠폰 공급사 취소", "발급 확인"),
        new("coupon_cancel.retried", "공급사 취소 재시도", "발급 확인"),
        new("coupon_cancel.resolved", "공급사 취소 정리", "발급 확인"),
        new("coupon.review_acknowledged", "쿠폰 상태 불일치 확인", "발급 확인"),
        new("cs.searched", "C/S 검색", "C/S"),
        new("cs.item_viewed", "C/S 상세 조회", "C/S"),
        new("cs.image_viewed", "C/S 쿠폰 이미지 조회", "C/S"),
        new("cs.revealed", "C/S 쿠폰번호 전체 보기", "C/S"),
        new("cs.resend", "C/S 재발송", "C/S"),
        new("cs.phone_changed", "C/S 번호변경", "C/S"),
        new("cs.coupon_discarded", "C/S 쿠폰 폐기", "C/S"),
        new("cs.memo", "C/S 메모", "C/S"),
        new("cs.status_refreshed", "C/S 쿠폰 상태 새로고침", "C/S"),
        new("approval.requested", "승인 요청", "2인 승인"),
        new("approval.approved", "승인", "2인 승인"),
        new("approval.rejected", "반려", "2인 승인"),
        new("approval.withdrawn", "승인 요청 취소", "2인 승인"),
        new("approval.expired", "승인 요청 만료", "2인 승인"),
        new("approval.executed", "승인 처리 완료", "2인 승인"),
        new("approval.execution_failed", "승인 처리 실패", "2인 승인"),
        new("settings.changed", "설정 변경", "설정"),
        new("settings.webhook_tested", "운영 알림 시험 발송", "설정"),
        new("sender_number.added", "발신번호 추가", "설정"),
        new("sender_number.removed", "발신번호 삭제", "설정"),
        new("sender_number.default_changed", "기본 발신번호 변경", "설정"),
        new("audit.searched", "감사로그 조회", "감사·개인정보"),
        new("audit.purged", "감사로그 보존기간 정리", "감사·개인정보"),
        new("pii.key_rotation", "암호화 키 교체", "감사·개인정보"),
        new("pii.purged", "개인정보 파기", "감사·개인정보"),
        new("campaign.legal_hold_set", "보존 연장 설정", "감사·개인정보"),
        new("campaign.legal_hold_released", "보존 연장 해제", "감사·개인정보"),
    ];

    /// <summary>Reason codes the system writes (free-text reasons typed by people are shown as typed).</summary>
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["wrong_password"] = "비밀번호 불일치",
        ["wrong_current_password"] = "현재 비밀번호 불일치",
        ["unknown_id"] = "없는 아이디",
        ["locked"] = "잠긴 계정",
        ["inactive"] = "비활성 계정",
        ["throttled"] = "접속 주소 시도 횟수 초과",
        ["auto_unlock"] = "자동 잠금 해제",
        ["consecutive_failures"] = "연속 로그인 실패",
        ["must_change_password"] = "비밀번호 변경 필요",
        ["LOGOUT"] = "로그아웃",
        ["SUPERSEDED"] = "다른 곳에서 로그인",
        ["IDLE_EXPIRED"] = "장시간 미사용",
        ["ABSOLUTE_EXPIRED"] = "최대 사용 시간 경과",
        ["PASSWORD_CHANGED"] = "비밀번호 변경",
        ["PASSWORD_RESET"] = "비밀번호 초기화",
        ["LOCKED"] = "계정 잠금",
        ["DEACTIVATED"] = "계정 비활성화",
        ["ROLE_CHANGED"] = "역할 변경",
        ["ENDED_BY_ADMIN"] = "관리자가 종료",
        ["ENDED"] = "종료",
        ["not_requester"] = "요청자가 아님",
    };

    /// <summary>Target types (대상).</summary>
    public static readonly IReadOnlyDictionary<string, string> TargetTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["campaign"] = "캠페인",
        ["campaign_list"] = "발송조회",
        ["coupon"] = "쿠폰",
        ["issuance_order"] = "발급 주문",
        ["user"] = "사용자",
        ["session"] = "세션",
        ["audit_log"] = "감사로그",
        ["encryption_key"] = "암호화 키",
        ["endpoint"] = "API",
        ["sender_number"] = "발신번호",
        ["recipient_list"] = "수신자 목록",
        ["export"] = "엑셀 파일",
        ["settings"] = "설정",
    };

    private static readonly Dictionary<string, string> ActionNames = Actions.ToDictionary(a => a.Code, a => a.Name, StringComparer.Ordinal);

    public static string? ActionName(string? code) => code is not null && ActionNames.TryGetValue(code, out var name) ? name : null;

    public static string? TargetTypeName(string? code) => code is not null && TargetTypes.TryGetValue(code, out var name) ? name : null;

    public static string? ReasonName(string? code) => code is not null && Reasons.TryGetValue(code, out var name) ? name : null;
}
