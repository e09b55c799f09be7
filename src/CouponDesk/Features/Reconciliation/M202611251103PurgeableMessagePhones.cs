using FluentMigrator;

namespace CouponDesk.Features.Reconciliation;

[Migration(202611251103, "Message phone numbers can be purged")]
public sealed class M202611251103PurgeableMessagePhones : Migration
{
    public override void Up() => Execute.Sql("ALTER TABLE messages MODIFY phone_enc VARBINARY(255) NULL");

    public override void Down()
    {
        // As above: purged values are gone for good.
    }
}
