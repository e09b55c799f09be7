namespace CouponDesk.Features.Alerts;

/// <summary>
/// Where the system tells the people on call that something needs them (spec §5.9): campaign ERROR, issuance failures
/// after retries, in-doubt orders, agent delay, failed cancels, account lockouts. Raising never throws and never blocks
/// the caller for long: a broken alert channel must not stop a campaign.
/// </summary>
public interface IOperationsAlerts
{
    Task RaiseAsync(OperationsAlert alert, CancellationToken cancellationToken = default);
}
