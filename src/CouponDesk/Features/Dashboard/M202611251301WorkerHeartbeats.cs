using FluentMigrator;

namespace CouponDesk.Features.Dashboard;

/// <summary>
/// One row per running CouponDesk process (spec §3.8 시스템 상태 "worker heartbeats"): each process rewrites its row every
/// beat (<c>Liveness:BeatMilliseconds</c>, D-OPS-11), so the dashboard sees which roles are alive and which process went silent.
/// Times are UTC (beats since D-OPS-11 from the database's <c>UTC_TIMESTAMP(6)</c>).
/// </summary>
[Migration(202611251301, "Worker heartbeats")]
public sealed class M202611251301WorkerHeartbeats : Migration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE IF NOT EXISTS worker_heartbeats (
          instance_id CHAR(32) NOT NULL PRIMARY KEY,
          host_name VARCHAR(100) NOT NULL,
          process_id INT NOT NULL,
          roles VARCHAR(30) NOT NULL COMMENT 'web, worker, jobs',
          started_at DATETIME(6) NOT NULL,
          beat_at DATETIME(6) NOT NULL,
          KEY ix_worker_heartbeats_beat (beat_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS worker_heartbeats");
}
