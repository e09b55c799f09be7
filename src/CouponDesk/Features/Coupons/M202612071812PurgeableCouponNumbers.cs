using FluentMigrator;

namespace CouponDesk.Features.Coupons;

/// <summary>
/// The purge destroys a finished coupon's full number — ciphertext and blind index — 90 days after it finished and keeps
/// the last 4 (spec §7.5): both columns must accept NULL. The unique index allows any number of NULLs.
/// </summary>
[Migration(202612071812, "Coupon numbers can be purged")]
public sealed class M202612071812PurgeableCouponNumbers : Migration
{
    public override void Up() => Execute.Sql("ALTER TABLE coupons MODIFY coupon_number_enc VARBINARY(200) NULL COMMENT 'PiiProtector.Encrypt(BARCODE_NUM); NULL once purged', MODIFY coupon_number_index BINARY(32) NULL COMMENT 'PiiProtector.BlindIndex(\"coupon\", BARCODE_NUM); NULL once purged'");

    public override void Down()
    {
        // Purged numbers cannot come back; the columns stay nullable.
    }
}
