using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Scheduling;

/// <summary>When the "still not queued 5 minutes after the send time" alert of a run went out (spec §5.1; once per run, D-PIPE-27).</summary>
[Migration(202611251601, "Campaign run late alert")]
public sealed class M202611251601LateAlert : Migration
{
    public override void Up() =>
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS late_alerted_at DATETIME(6) NULL COMMENT 'UTC: the campaign.late alert was raised'");

    public override void Down() => Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS late_alerted_at");
}
