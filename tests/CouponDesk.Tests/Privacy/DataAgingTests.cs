using System.Net;
using System.Net.Http.Json;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Privacy;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace CouponDesk.Tests.Privacy;

/// <summary>
/// Issue 17 point 5 (spec §7.5–§7.6): every kind of personal data ages out on its date, a held campaign (보존 연장) keeps
/// its values, and a dump of the whole database taken after the purge holds none of the destroyed values — neither
/// their ciphertext, nor their blind index, nor the clear text. Time moves with <see cref="ClockedFactory.Clock"/>.
/// </summary>
public sealed class DataAgingTests(DataAgingTests.Factory factory) : IClassFixture<DataAgingTests.Factory>
{
    public sealed class Factory : ClockedFactory;

    [Fact]
    public async Task After_the_purge_a_dump_holds_no_destroyed_value_while_the_held_campaign_keeps_its_own()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var purged = await FinishedCampaignData.CreateAsync(factory.Services, 700, "김파기", "고객이 010-0000-0701 로 다시 보내 달라고 함 (파기 대상 메모)", now);
        var held = await FinishedCampaignData.CreateAsync(factory.Services, 800, "박보존", "분쟁 중인 고객 메모 (보존 대상)", now);
        var admin = await factory.CreateClientAsync(Roles.Admin);
        var hold = await (await admin.PutAsJsonAsync($"/api/campaigns/{held.CampaignId}/legal-hold", new { days = 365, reason = "고객 분쟁 조정 중" })).JsonAsync(HttpStatusCode.OK);
        Assert.True(hold.GetProperty("held").GetBoolean());
        var purge = factory.Services.GetRequiredService<PiiPurge>();

        // Day 89: nothing is due yet.
        factory.Clock.Advance(TimeSpan.FromDays(89));
        var early = await purge.RunAsync();
        Assert.All(early.Where(c => c.Key != "uploads.row_errors"), c => Assert.Equal(0, c.Value));

        // Day 91: the 90-day data of the unheld campaign goes; the held one keeps everything.
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var counts = await purge.RunAsync();
        Assert.Equal(2, counts["recipients.phone_name"]);
        Assert.Equal(2, counts["coupons.number"]);
        Assert.Equal(2, counts["messages.phone"]);
        Assert.Equal(1, counts["cs_actions.memo"]);
        Assert.Equal(1, counts["phone_changes.phones"]);
        Assert.Equal(2, counts["approval_requests.params_memo"]);
        Assert.Equal(1, counts["agent_log.phone_msg"]);
        Assert.Equal(0, counts["campaigns.requester"]);
        Assert.Equal(0, counts["business_records.deidentified"]);

        var dump = await DumpAsync();
        Assert.All(purged.Stored, v => Assert.False(dump.Contains(Hex(v.Value), StringComparison.Ordinal), $"{v.Key} of the purged campaign is still in the dump"));
        Assert.All(purged.Clear, v => Assert.False(dump.Contains(v, StringComparison.Ordinal), "a destroyed clear value is still in the dump"));
        Assert.All(held.Stored, v => Assert.True(dump.Contains(Hex(v.Value), StringComparison.Ordinal), $"{v.Key} of the held campaign is gone"));
        Assert.All(held.Clear.Where(v => !held.CouponNumbers.Contains(v)), v => Assert.True(dump.Contains(v, StringComparison.Ordinal), "the held campaign's agent row was scrubbed"));
        Assert.All(purged.Requester, v => Assert.True(dump.Contains(Hex(v.Value), StringComparison.Ordinal), $"{v.Key} went before its 2 years"));
        await using (var c = await factory.Database.OpenAsync())
        {
            // The last 4 digits stay for the records, and the page masks what is left.
            Assert.Equal(purged.CouponNumbers.Select(n => n[^4..]).Order(), (await c.QueryAsync<string>("SELECT coupon_number_last4 FROM coupons WHERE id IN @ids", new { ids = purged.CouponIds })).Order());
            var audit = await c.QuerySingleAsync<(string Outcome, string Details)>("SELECT outcome, details FROM audit_log WHERE action = @a ORDER BY id DESC LIMIT 1", new { a = AuditActions.PiiPurged });
            Assert.Equal(AuditOutcome.Success, audit.Outcome);
            Assert.Contains("\"coupons.number\":\"2\"", audit.Details);
            Assert.DoesNotContain("김파기", audit.Details);
        }

        // The run again destroys nothing more and counts nothing twice.
        Assert.All(await purge.RunAsync(), c => Assert.Equal(0, c.Value));

        // Two years on: the hold (one year) has ended, so the held campaign's data goes too; requester contacts are
        // erased and the records de-identified (the last 4 digits go).
        factory.Clock.Advance(TimeSpan.FromDays(2 * 365));
        var later = await purge.RunAsync();
        Assert.Equal(2, later["coupons.number"]);
        Assert.Equal(2, later["campaigns.requester"]);
        Assert.True(later["business_records.deidentified"] >= 4, $"de-identified {later["business_records.deidentified"]} rows");
        dump = await DumpAsync();
        foreach (var data in new[] { purged, held })
        {
            Assert.All(data.Stored.Concat(data.Requester), v => Assert.False(dump.Contains(Hex(v.Value), StringComparison.Ordinal), $"{v.Key} is still in the dump"));
            Assert.All(data.Clear, v => Assert.False(dump.Contains(v, StringComparison.Ordinal), "a destroyed clear value is still in the dump"));
        }

        await using (var c = await factory.Database.OpenAsync())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM coupons WHERE id IN @ids AND coupon_number_last4 <> ''", new { ids = purged.CouponIds.Concat(held.CouponIds).ToArray() }));
            Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM campaigns WHERE id IN @ids AND deidentified_at IS NOT NULL", new { ids = new[] { purged.CampaignId, held.CampaignId } }));
        }

        Assert.All(await purge.RunAsync(), c => Assert.Equal(0, c.Value));
    }

    /// <summary><c>mariadb-dump</c> of the test database, blobs in hex (upper case), every row on its own INSERT.</summary>
    private async Task<string> DumpAsync()
    {
        var cs = new MySqlConnectionStringBuilder(factory.Database.ConnectionString);
        var args = new List<string> { "--hex-blob", "--skip-extended-insert", "--skip-comments", "--no-tablespaces", "--single-transaction", "-u", cs.UserID };
        args.AddRange(cs.Server.StartsWith('/') ? ["--socket", cs.Server] : ["-h", cs.Server, "-P", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--protocol=TCP"]);
        args.Add(cs.Database);
        var result = await ExternalCommand.RunAsync("mariadb-dump", args, new Dictionary<string, string> { ["MYSQL_PWD"] = cs.Password });
        result.EnsureSuccess("mariadb-dump");
        Assert.Contains("INSERT INTO `coupons`", result.Output);
        return result.Output;
    }

    private static string Hex(byte[] value) => "0x" + Convert.ToHexString(value);
}
