using FluentMigrator;

namespace CouponDesk.Features.Campaigns;

/// <summary>
/// 유효기간 of 발송조회 as a generated, indexed column (spec §3.3.2 sortable; see <see cref="CampaignValidityEnd"/>).
/// Generated so no write path can forget it (draft save, submit snapshot, rescheduling). The expression never raises an
/// error in strict mode — an 8-digit value that is no real date (20270229) would make <c>CAST</c> fail the INSERT — so
/// days must be 1–4 digits and a date is checked against its month's last day before it is cast. KST has no daylight
/// saving, so "+ 9 hours" is its date.
/// </summary>
[Migration(202612080031, "Campaigns get a generated validity end for the list's 유효기간 sort")]
public sealed class M202612080031CampaignValidityEnd : Migration
{
    public override void Up()
    {
        Execute.Sql("""
            ALTER TABLE campaigns ADD COLUMN IF NOT EXISTS validity_end DATE AS (COALESCE(CASE
              WHEN validity_type = 'D' AND validity_value REGEXP '^[0-9]{1,4}$'
                THEN DATE(COALESCE(scheduled_at, start_at, created_at) + INTERVAL 9 HOUR) + INTERVAL CAST(validity_value AS UNSIGNED) DAY
              WHEN validity_value REGEXP '^[1-9][0-9]{3}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'
                AND CAST(SUBSTR(validity_value, 7, 2) AS UNSIGNED) <= DAY(LAST_DAY(CONCAT(SUBSTR(validity_value, 1, 4), '-', SUBSTR(validity_value, 5, 2), '-01')))
                THEN CAST(validity_value AS DATE)
              END, DATE '1000-01-01')) PERSISTENT COMMENT '유효기간 of the list (KST date of the send time + days, or the fixed date); 1000-01-01 = unknown'
            """);
        Execute.Sql("ALTER TABLE campaigns ADD INDEX IF NOT EXISTS ix_campaigns_validity_end (validity_end, id)");
    }

    public override void Down()
    {
        Execute.Sql("ALTER TABLE campaigns DROP INDEX IF EXISTS ix_campaigns_validity_end");
        Execute.Sql("ALTER TABLE campaigns DROP COLUMN IF EXISTS validity_end");
    }
}
