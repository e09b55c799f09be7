using FluentMigrator;

namespace CouponDesk.Features.Reconciliation;

/// <summary>
/// The purge destroys recipients' and messages' phone (and name) ciphertext and blind index (spec §7.5–§7.6): the
/// columns must accept NULL. One DDL statement per step (MariaDB DDL is not transactional).
/// </summary>
[Migration(202611251102, "Recipient personal data can be purged")]
public sealed class M202611251102PurgeableRecipientRows : Migration
{
    public override void Up() => Execute.Sql("ALTER TABLE recipient_list_rows MODIFY phone_enc VARBINARY(64) NULL, MODIFY phone_bidx BINARY(32) NULL");

    public override void Down()
    {
        // Purged rows cannot get their values back; the columns stay nullable.
    }
}
