namespace CouponDesk.Security;

/// <summary>A user has exactly one role (spec §1.1).</summary>
public static class Roles
{
    public const string Admin = "ADMIN";
    public const string Operator = "OPERATOR";
    public const string Viewer = "VIEWER";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];
}
