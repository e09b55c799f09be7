using CouponDesk.Features.Alerts;

namespace CouponDesk.Features.Auth;

/// <summary>
/// Security events the ADMINs are told about (spec §2.4: an account locked out). They go to the operations channel
/// (log + webhook); the event itself is in the audit trail. Alerts carry no personal data.
/// </summary>
public interface ISecurityAlerts
{
    Task AccountLockedAsync(long userId, string loginId, CancellationToken cancellationToken);
}

/// <summary>Account lockout as an <c>account.locked</c> operations alert; the login id only masked (first character).</summary>
public sealed class OperationsSecurityAlerts(IOperationsAlerts alerts) : ISecurityAlerts
{
    public Task AccountLockedAsync(long userId, string loginId, CancellationToken cancellationToken) =>
        alerts.RaiseAsync(new OperationsAlert(
            "account.locked",
            $"계정 {MaskLoginId(loginId)} (사용자 #{userId})이 연속 로그인 실패로 잠겼습니다. 사용자관리에서 확인 후 잠금 해제해 주세요.",
            AlertSeverity.Warning,
            $"user:{userId}"), cancellationToken);

    /// <summary><c>admin01</c> → <c>a******</c>: enough for a person who knows the accounts, nothing for anyone else.</summary>
    public static string MaskLoginId(string loginId) =>
        loginId.Length == 0 ? "***" : loginId[0] + new string('*', Math.Max(3, loginId.Length - 1));
}
