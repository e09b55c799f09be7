using FluentMigrator;

namespace CouponDesk.Features.Recipients;

/// <summary>
/// Recipient lists (spec §3.2.3). An upload or quick entry becomes a STAGED list with its valid rows and its errors;
/// accepting it points the campaign at it in one transaction (atomic replacement). Phone and name are encrypted,
/// the phone also has a keyed blind index; error rows keep only a masked input.
/// </summary>
[Migration(202611250702, "Recipient lists")]
public sealed class M202611250702RecipientLists : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS recipient_lists (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              status VARCHAR(12) NOT NULL COMMENT 'STAGED, ACCEPTED, REPLACED, DISCARDED',
              source VARCHAR(8) NOT NULL COMMENT 'QUICK, XLSX, CSV',
              file_name VARCHAR(255) NULL,
              total_rows INT NOT NULL,
              valid_count INT NOT NULL,
              error_count INT NOT NULL,
              duplicate_count INT NOT NULL,
              created_by BIGINT NULL,
              created_at DATETIME(6) NOT NULL,
              accepted_at DATETIME(6) NULL,
              KEY ix_recipient_lists_campaign (campaign_id, status)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS recipient_list_rows (
              list_id BIGINT NOT NULL,
              seq INT NOT NULL,
              source_row INT NOT NULL,
              phone_enc VARBINARY(64) NOT NULL,
              phone_bidx BINARY(32) NOT NULL,
              name_enc VARBINARY(256) NULL,
              PRIMARY KEY (list_id, seq),
              KEY ix_recipient_list_rows_phone (phone_bidx)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS recipient_list_errors (
              list_id BIGINT NOT NULL,
              seq INT NOT NULL,
              source_row INT NOT NULL,
              column_name VARCHAR(20) NOT NULL,
              code VARCHAR(30) NOT NULL,
              input_masked VARCHAR(64) NOT NULL,
              PRIMARY KEY (list_id, seq)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """);
    }

    public override void Down()
    {
        Execute.Sql("DROP TABLE IF EXISTS recipient_list_errors");
        Execute.Sql("DROP TABLE IF EXISTS recipient_list_rows");
        Execute.Sql("DROP TABLE IF EXISTS recipient_lists");
    }
}
