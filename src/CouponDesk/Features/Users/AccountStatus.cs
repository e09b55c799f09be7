namespace CouponDesk.Features.Users;

/// <summary>Account states (spec §2.1).</summary>
public static class AccountStatus
{
    public const string Active = "ACTIVE";
    public const string Locked = "LOCKED";
    public const string Inactive = "INACTIVE";
}
