namespace CouponDesk.Features.Users;

/// <summary>A user has exactly one role (spec §1.1).</summary>
public static class Roles
{
    public const string Admin = "ADMIN";
    public const string Operator = "OPERATOR";
    public const string Viewer = "VIEWER";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];
}

/// <summary>Account states (spec §2.1).</summary>
public static class AccountStatus
{
    public const string Active = "ACTIVE";
    public const string Locked = "LOCKED";
    public const string Inactive = "INACTIVE";
}
