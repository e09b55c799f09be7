using FluentMigrator;

namespace CouponDesk.Hosting;

/// <summary>One row per execution of a Quartz job (<see cref="JobRunsMiddleware"/>): the cluster's job history.</summary>
[Migration(202612070901, "Job runs")]
public sealed class M202612070901JobRuns : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS job_runs (
          id BIGINT NOT NULL AUTO_INCREMENT,
          job_key VARCHAR(200) NOT NULL COMMENT 'group.name of the job',
          trigger_key VARCHAR(200) NOT NULL,
          scheduled_at DATETIME(6) NULL COMMENT 'UTC: the firing this execution belongs to',
          started_at DATETIME(6) NOT NULL COMMENT 'UTC',
          finished_at DATETIME(6) NOT NULL COMMENT 'UTC',
          instance_id VARCHAR(200) NOT NULL COMMENT 'the Quartz scheduler instance (process) that ran it',
          attempts INT NOT NULL COMMENT 'executions inside this firing (more than 1 after a conflict retry)',
          succeeded TINYINT(1) NOT NULL,
          error VARCHAR(200) NULL COMMENT 'exception type only (messages may carry personal data)',
          PRIMARY KEY (id),
          KEY ix_job_runs_job_scheduled (job_key, scheduled_at),
          KEY ix_job_runs_started (started_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS job_runs");
}
