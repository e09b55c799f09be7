using System.Net;
using System.Text.Json;
using CouponDesk.Hosting;
using CouponDesk.Tests.Pipeline;
using CouponDesk.TestSupport;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Tests.Deployment;

/// <summary>
/// Issue 19 / spec §8: scripts/backup and scripts/restore for real. A MariaDB with binary logs is filled through the real
/// pipeline (stand-ins included), backed up, written to again, and restored to a point in time into a fresh MariaDB: the
/// counts are those of that moment, verify-audit passes, and a back office on the restored database serves the campaign.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("cd-backup-").FullName;
    private PrivateMariaDb source = null!;
    private PrivateMariaDb target = null!;

    public async Task InitializeAsync()
    {
        source = await PrivateMariaDb.StartAsync(work, "src", "--log-bin=binlog --server-id=1 --binlog-format=ROW");
        target = await PrivateMariaDb.StartAsync(work, "dst");
    }

    [Fact]
    public async Task A_point_in_time_restore_into_a_fresh_instance_has_that_moments_data_and_serves_it()
    {
        var database = new TestDatabase(source.ServerConnectionString);
        var key = Path.Combine(work, "backup.key");
        await File.WriteAllTextAsync(key, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var config = Path.Combine(work, "backup.env");
        long first, second;
        TestAccounts.Account viewer;
        await using (var h = await PipelineHarness.StartAsync(database))
        {
            first = await h.ScheduleCampaignAsync(12);
            Assert.Equal("COMPLETED", await h.WaitForAsync(first, 120, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
            viewer = await TestAccounts.InsertAsync(database.Connections, "VIEWER");
            await File.WriteAllTextAsync(config, $"""
                BACKUP_DIR={work}/backups
                BACKUP_KEY_FILE={key}
                BACKUP_MYSQL_DEFAULTS={source.WriteClientOptions(Path.Combine(work, "src.cnf"))}
                BACKUP_DATABASE={database.Name}
                BACKUP_IMAGE_DIRS="{h.Scratch}/mms"
                """);
            (await Script("backup", "--config", config, "full")).EnsureSuccess("scripts/backup full");

            second = await h.ScheduleCampaignAsync(7, firstPhone: 101);
            Assert.Equal("COMPLETED", await h.WaitForAsync(second, 120, "COMPLETED", "PARTIALLY_FAILED", "FAILED", "ERROR"));
        }

        // The point: a second after everything so far; what follows it must not come back.
        var point = await NextSecondAsync(database);
        var expected = await CountsAsync(database.ConnectionString);
        await using (var c = await database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE campaigns SET event_name = '지점 이후 변경' WHERE id = @first", new { first });
            await c.ExecuteAsync("DELETE FROM recipient_list_rows WHERE list_id IN (SELECT id FROM recipient_lists WHERE campaign_id = @second)", new { second });
        }

        (await Script("backup", "--config", config, "binlogs")).EnsureSuccess("scripts/backup binlogs");
        var targetOptions = target.WriteClientOptions(Path.Combine(work, "dst.cnf"));

        var noKey = await Script("restore", "--from", $"{work}/backups", "--key", $"{work}/missing.key", "--target", targetOptions, "--until", point);
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("backup key", noKey.Error);
        Assert.Single(noKey.Error.Trim().Split('\n'));

        (await Script("restore", "--from", $"{work}/backups", "--key", key, "--target", targetOptions, "--until", point, "--images-to", $"{work}/images"))
            .EnsureSuccess("scripts/restore");

        var restored = new MySqlConnectionStringBuilder(database.ConnectionString) { Port = (uint)target.Port }.ConnectionString;
        Assert.Equal(expected, await CountsAsync(restored));
        Assert.Contains("COMPLETED", expected);
        await using (var c = new MySqlConnection(restored))
        {
            Assert.Equal("파이프라인 테스트", await c.ExecuteScalarAsync<string>("SELECT event_name FROM campaigns WHERE id = @first", new { first }));
        }

        Assert.NotEmpty(Directory.EnumerateFiles($"{work}/images", "*.jpg", SearchOption.AllDirectories));

        var verify = await ExternalCommand.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "CouponDesk.dll"), "verify-audit"], BackOfficeEnvironment(restored), workingDirectory: work);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);

        await using var restoredOffice = await LoopbackHost.StartAsync(args => CouponDeskHost.Build(args),
        [
            new("environment", "Testing"),
            .. TestSettings.BackOffice(new TestDatabase(target.ServerConnectionString), Path.Combine(work, "scratch")),
            new("Database:ConnectionString", restored),
        ]);
        using var client = restoredOffice.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CouponDeskFactory.LoginAsync(client, viewer.LoginId, viewer.Password));
        var campaign = await client.GetAsync($"/api/campaigns/{second}");
        Assert.Equal(HttpStatusCode.OK, campaign.StatusCode);
        var json = JsonDocument.Parse(await campaign.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(7, json.GetProperty("recipientCount").GetInt32());
    }

    private Task<ExternalCommand.Result> Script(string name, params string[] arguments) =>
        ExternalCommand.RunAsync(RepositoryPaths.Path("scripts", name), arguments, workingDirectory: work);

    private static Dictionary<string, string> BackOfficeEnvironment(string connectionString)
    {
        var environment = TestKeys.PiiSettings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        environment["Database__ConnectionString"] = connectionString;
        environment["Snap__ImageDirectory"] = Path.GetTempPath();
        return environment;
    }

    /// <summary>Waits until the server's clock (KST) passed the current second and returns the new second.</summary>
    private static async Task<string> NextSecondAsync(TestDatabase database)
    {
        await using var c = await database.OpenAsync();
        var now = await c.ExecuteScalarAsync<string>("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s')");
        string next;
        do
        {
            await Task.Delay(100);
            next = (await c.ExecuteScalarAsync<string>("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s')"))!;
        }
        while (next == now);
        return next;
    }

    /// <summary>What a restore must bring back: rows per table that matters, and the campaigns' states.</summary>
    private static async Task<string> CountsAsync(string connectionString)
    {
        await using var c = new MySqlConnection(connectionString);
        var parts = new List<string>();
        foreach (var table in new[] { "campaigns", "recipient_list_rows", "delivery_items", "coupons", "issuance_orders", "messages", "audit_log", "users" })
        {
            parts.Add($"{table}={await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}")}");
        }

        // The agent's tables: the send table and its month tables (names made by the agent, found by pattern).
        foreach (var table in await c.QueryAsync<string>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'UMS\\_%' ORDER BY TABLE_NAME"))
        {
            parts.Add($"{table}={await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM `{table}`")}");
        }

        parts.Add("states=" + string.Join(",", await c.QueryAsync<string>("SELECT status FROM campaigns ORDER BY id")));
        return string.Join(" ", parts);
    }

    public async Task DisposeAsync()
    {
        await source.DisposeAsync();
        await target.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }
}
