using System.Globalization;
using CouponDesk.Features.Alerts;
using CouponDesk.Features.Messages;
using MySqlConnector;

namespace CouponDesk.Features.Pipeline.Resends;

/// <summary>
/// Spec §4.5 / §5.5: a message without a result 24 h after its REQ_DATE becomes RESULT_TIMEOUT (done by the result sync),
/// is shown as the failure "결과 미수신", is never resent automatically (it may have been delivered) — and is alerted.
/// One alert per campaign and result batch, with a count only (no personal data). The alert may repeat if the batch is
/// rolled back and applied again: alerts are at-least-once.
/// </summary>
public sealed class ResultTimeoutAlerts(IOperationsAlerts alerts) : IDeliveryResultHandler
{
    public const string Kind = "delivery.result-timeout";

    public async Task HandleAsync(IReadOnlyList<DeliveryResult> results, MySqlConnection connection, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var campaign in results.Where(r => r.Outcome == DeliveryOutcome.ResultTimeout).GroupBy(r => r.CampaignId))
        {
            var count = campaign.Count();
            var subject = campaign.Key is { } id ? string.Create(CultureInfo.InvariantCulture, $"campaign:{id}") : "messages";
            var what = campaign.Key is { } cid ? string.Create(CultureInfo.InvariantCulture, $"캠페인 {cid}의 메시지") : "캠페인 외 메시지";
            await alerts.RaiseAsync(new OperationsAlert(Kind,
                string.Create(CultureInfo.InvariantCulture, $"{what} {count}건이 요청 후 정해진 시간 안에 발송 결과를 받지 못해 '결과 미수신'으로 처리되었습니다. 자동 재발송하지 않으니 확인 후 필요하면 재발송해 주세요."),
                AlertSeverity.Warning, subject), cancellationToken);
        }
    }
}
