namespace CouponDesk.Hosting.Liveness;

/// <summary>
/// Who this process is: a fresh <see cref="InstanceId"/> per start (the heartbeat row) and the optional stable
/// <see cref="InstanceName"/> of its slot. Every lease this process takes carries its <see cref="Owner"/> as the token's
/// first half, so the claims of a dead process can be found and released without a column or a join (D-OPS-11).
/// </summary>
public sealed class ProcessIdentity(LivenessOptions options)
{
    /// <summary>Length of <see cref="Owner"/>, the prefix of every lease token this process writes.</summary>
    public const int OwnerLength = 16;

    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public string? InstanceName { get; } = string.IsNullOrWhiteSpace(options.InstanceName) ? null : options.InstanceName;

    public string Owner => InstanceId[..OwnerLength];

    /// <summary>A new lease token (32 characters, as the lease_token columns hold): this process's owner + 16 random hex.</summary>
    public string NewLeaseToken() => Owner + Guid.NewGuid().ToString("N")[..(32 - OwnerLength)];

    /// <summary>The owner part of a lease token.</summary>
    public static string OwnerOf(string leaseToken) => leaseToken.Length >= OwnerLength ? leaseToken[..OwnerLength] : leaseToken;
}
