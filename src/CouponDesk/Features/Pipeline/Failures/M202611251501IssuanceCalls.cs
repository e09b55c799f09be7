using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Failures;

/// <summary>
/// The failure rules' call log (D-PIPE-21): one row per counted create call, written in the order's outcome transaction.
/// It replaces the streak counter and the outcome string on the campaign's run row, which every order's outcome had to
/// update and hold through its commit — the one hot row that made 16 issue loops commit one at a time. Inserts do not
/// contend; the rules are counted by a window query when a call fails. <c>calls_counted_after</c> is where counting
/// starts again after a person resumes or retries the campaign.
/// </summary>
[Migration(202611251501, "Issuance call log for the failure rules")]
public sealed class M202611251501IssuanceCalls : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            CREATE TABLE IF NOT EXISTS issuance_calls (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              campaign_id BIGINT NOT NULL,
              order_id BIGINT NOT NULL,
              failed TINYINT(1) NOT NULL,
              called_at DATETIME(6) NOT NULL,
              KEY ix_issuance_calls_campaign (campaign_id, id),
              KEY ix_issuance_calls_campaign_failed (campaign_id, failed, id)
            ) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin
            """);
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS calls_counted_after BIGINT NOT NULL DEFAULT 0 AFTER stop_reason");
        Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS recent_calls, DROP COLUMN IF EXISTS consecutive_failed_calls");
    }

    public override void Down()
    {
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS consecutive_failed_calls INT NOT NULL DEFAULT 0 AFTER stop_reason");
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS recent_calls VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '' AFTER consecutive_failed_calls");
        Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS calls_counted_after");
        Execute.Sql("DROP TABLE IF EXISTS issuance_calls");
    }
}
