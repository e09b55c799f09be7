using System.Net;
using System.Text;
using CouponDesk.Features.Audit;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Audit;

/// <summary>The hash chain (tamper evidence, concurrent writers, transactions), retention, search and export.</summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    // A database per test: each test edits or purges the chain.
    private readonly CouponDeskFactory factory = new();

    private AuditTrail Trail => factory.Services.GetRequiredService<AuditTrail>();

    private AuditVerifier Verifier => factory.Services.GetRequiredService<AuditVerifier>();

    public async Task InitializeAsync()
    {
        await factory.InitializeAsync();
        _ = factory.Server;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static AuditEntry Entry(int i) => new()
    {
        Action = "test.event",
        ActorLogin = "tester",
        SourceIp = "192.0.2.1",
        TargetType = "campaign",
        TargetId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Subject = "010-****-1234",
        Details = new Dictionary<string, string?> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    [Fact]
    public async Task An_edited_row_is_reported_as_the_first_broken_link()
    {
        for (var i = 0; i < 10; i++)
        {
            await Trail.WriteAsync(Entry(i));
        }

        Assert.True((await Verifier.VerifyAsync()).Intact);
        await using var connection = await factory.Database.OpenAsync();
        var fifth = await connection.ExecuteScalarAsync<long>("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 4");
        await connection.ExecuteAsync("UPDATE audit_log SET outcome = 'FAILURE' WHERE id = @fifth", new { fifth });

        var result = await Verifier.VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal(fifth, result.FirstBrokenId);
        Assert.Contains("altered", result.Message);
    }

    [Fact]
    public async Task A_deleted_row_or_a_cut_tail_is_reported()
    {
        for (var i = 0; i < 6; i++)
        {
            await Trail.WriteAsync(Entry(i));
        }

        await using var connection = await factory.Database.OpenAsync();
        var ids = (await connection.QueryAsync<long>("SELECT id FROM audit_log ORDER BY id")).ToList();
        await connection.ExecuteAsync("DELETE FROM audit_log WHERE id = @id", new { id = ids[^1] });
        Assert.False((await Verifier.VerifyAsync()).Intact);

        await connection.ExecuteAsync("DELETE FROM audit_log WHERE id = @id", new { id = ids[2] });
        var result = await Verifier.VerifyAsync();
        Assert.Equal(ids[3], result.FirstBrokenId);
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_unbroken_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await Trail.WriteAsync(Entry((w * 100) + i));
            }
        })));

        var result = await Verifier.VerifyAsync();

        Assert.True(result.Intact, result.Message);
        Assert.Equal(200, result.RowsChecked);
    }

    [Fact]
    public async Task A_row_written_in_a_rolled_back_transaction_leaves_nothing()
    {
        await Trail.WriteAsync(Entry(1));
        await using (var connection = await factory.Database.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await Trail.WriteAsync(Entry(2), connection, transaction, default);
            await transaction.RollbackAsync();
        }

        await Trail.WriteAsync(Entry(3));

        var result = await Verifier.VerifyAsync();
        Assert.True(result.Intact, result.Message);
        Assert.Equal(2, result.RowsChecked);
    }

    [Fact]
    public async Task Retention_removes_old_rows_and_the_rest_still_verifies()
    {
        // Rows written six years ago, through the chain as they would have been.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-6));
        var oldTrail = new AuditTrail(factory.Database.Connections, factory.Services.GetRequiredService<AuditChain>(), clock);
        for (var i = 0; i < 3; i++)
        {
            await oldTrail.WriteAsync(Entry(i));
        }

        for (var i = 3; i < 5; i++)
        {
            await Trail.WriteAsync(Entry(i));
        }

        var deleted = await factory.Services.GetRequiredService<AuditRetention>().PurgeAsync();

        Assert.Equal(3, deleted);
        var result = await Verifier.VerifyAsync();
        Assert.True(result.Intact, result.Message);
        Assert.Equal(3, result.RowsChecked); // two recent rows and the purge's own entry
    }

    [Fact]
    public async Task Admins_search_with_cursor_paging_and_export_csv_safely()
    {
        for (var i = 0; i < 60; i++)
        {
            await Trail.WriteAsync(Entry(i));
        }

        await Trail.WriteAsync(Entry(999) with { Reason = "=HYPERLINK(\"http://evil\")", ActorLogin = "@attacker" });
        var admin = await factory.CreateClientAsync(Roles.Admin);

        var first = await (await admin.GetAsync("/api/audit?action=test.event")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(50, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await admin.GetAsync($"/api/audit?action=test.event&cursor={cursor}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(11, second.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKindNull, second.GetProperty("nextCursor").ValueKind);
        Assert.EndsWith("+09:00", first.GetProperty("items")[0].GetProperty("occurredAt").GetString());

        var bad = await (await admin.GetAsync("/api/audit?from=yesterday")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("from", out _));

        var export = await admin.GetAsync("/api/audit/export.csv?action=test.event");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var csv = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", csv);
        Assert.Contains("\"'@attacker\"", csv);
        Assert.DoesNotContain(",\"=", csv);
        Assert.Equal(1, await factory.CountAuditAsync(AuditActions.AuditExported));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
