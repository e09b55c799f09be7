using CouponDesk.Security.Pii;

namespace CouponDesk.Features.Users;

/// <summary>
/// Staff name, e-mail and mobile: bound to the user's row, written right after its insert (D-SEC-12). Declared with the
/// users (not in Auth's setup, which registers them) so the accounts code does not depend on Auth.
/// </summary>
public static class UserColumns
{
    public static readonly EncryptedColumn Name = new EncryptedColumn("users", "name_enc", Bound: true).Validated();

    public static readonly EncryptedColumn Email = new EncryptedColumn("users", "email_enc", Bound: true).Validated();

    public static readonly EncryptedColumn Mobile = new EncryptedColumn("users", "mobile_enc", Bound: true).Validated();
}
