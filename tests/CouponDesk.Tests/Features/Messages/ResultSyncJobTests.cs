using CouponDesk.TestSupport;
using Dapper;

namespace CouponDesk.Tests.Features.Messages;

/// <summary>
/// The result sync is scheduled in the clustered Quartz store and actually fires: a process with the <c>jobs</c> role
/// starts, registers the trigger and runs it (this caught a JobsSetup enumeration bug and wrong Quartz index names).
/// </summary>
public sealed class ResultSyncJobTests(ResultSyncJobTests.JobsFactory factory) : IClassFixture<ResultSyncJobTests.JobsFactory>
{
    [Fact]
    public async Task The_result_sync_trigger_is_registered_and_fires()
    {
        _ = factory.Server; // starts the host

        await using var connection = await factory.Database.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        (string State, long PrevFire) trigger = default;
        while (DateTime.UtcNow < deadline)
        {
            trigger = await connection.QuerySingleOrDefaultAsync<(string, long)>(
                "SELECT TRIGGER_STATE, COALESCE(PREV_FIRE_TIME, -1) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'snap-result-sync-trigger'");
            if (trigger.PrevFire > 0)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.True(trigger.PrevFire > 0, $"the trigger never fired (state {trigger.State})");
        Assert.NotEqual("ERROR", trigger.State);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'pii-purge-images'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'IDX_QRTZ_T_NFT_ST'"));
    }

    public sealed class JobsFactory : CouponDeskFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            .. base.Settings,
            new("CouponDesk:Roles", "web,jobs"),
            new("Snap:ResultSyncSeconds", "5"),
        ];
    }
}
