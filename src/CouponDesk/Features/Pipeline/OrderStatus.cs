using CouponDesk.Data.States;

namespace CouponDesk.Features.Pipeline;

/// <summary>
/// Issuance order states (one COUFUN create call, spec §4.4; its states are the spec's "added" ones, the chain is §4.0's
/// picture) and their allowed transitions. The one place these values are spelled; every status change is written by
/// <see cref="IssuanceOrderTransitions"/>. RETRY_WAIT = a failed call waiting to be repeated with the same TR_ID.
/// </summary>
public static class OrderStatus
{
    public const string Planned = "PLANNED";
    public const string Requested = "REQUESTED";
    public const string RetryWait = "RETRY_WAIT";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string InDoubt = "IN_DOUBT";
    public const string SettledNotIssued = "SETTLED_NOT_ISSUED";
    public const string SettledIssued = "SETTLED_ISSUED";

    public static StateMachine Machine { get; } = new("issuance order",
        [Planned, Requested, RetryWait, Succeeded, Failed, InDoubt, SettledNotIssued, SettledIssued],
        [
            new("O1", StateMachine.New, Planned),
            new("O2", Planned, Requested),
            new("O3", [Requested], [Succeeded, Failed, InDoubt]),
            new("O4", [InDoubt], [SettledNotIssued, SettledIssued]),
            new("O2r", [RetryWait, Requested], [Requested],
                "§5.2: a transient failure or a lost answer is called again with the same TR_ID; a REQUESTED order whose lease ran out (its worker died in the call) is claimed again as a lost answer"),
            new("O3r", Requested, RetryWait,
                "§5.2: a failed call waits for its backoff before it is repeated with the same TR_ID"),
            new("O5", Planned, Failed,
                "a campaign cancelled before the call: the order buys nothing (C11, C12)"),
        ]);
}

/// <summary>Who asked for an issuance order: the campaign's pipeline, or C/S for a 번호변경 replacement (spec D13).</summary>
public static class OrderOrigin
{
    public const string Campaign = "CAMPAIGN";
    public const string CustomerService = "CS";
}
