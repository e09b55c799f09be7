using FluentMigrator;

namespace CouponDesk.Features.Pipeline.Failures;

/// <summary>
/// The outcomes of a campaign's last create calls, one character per call ('0' ok, '1' failed, newest last), for the
/// spec §5.2 rule "more than 10 % of the last 200 calls" (D-PIPE-7). Appended and trimmed in the same UPDATE that keeps
/// the failure streak, under the run row's lock, so no extra table or cleanup is needed. Superseded by the call log of
/// <see cref="M202611251501IssuanceCalls"/>, which drops the column: that run row was the pipeline's hot spot (D-PIPE-21).
/// </summary>
[Migration(202611250901, "Campaign runs: recent create-call outcomes")]
public sealed class M202611250901CallWindow : Migration
{
    public override void Up() =>
        Execute.Sql("ALTER TABLE campaign_runs ADD COLUMN IF NOT EXISTS recent_calls VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '' AFTER consecutive_failed_calls");

    public override void Down() => Execute.Sql("ALTER TABLE campaign_runs DROP COLUMN IF EXISTS recent_calls");
}
