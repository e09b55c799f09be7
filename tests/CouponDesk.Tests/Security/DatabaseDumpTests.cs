using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CouponDesk.Features.Audit;
using CouponDesk.Security;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Security;

/// <summary>
/// After writing accounts and audit entries full of personal data the way the product does, a dump of every table
/// (every column read as text) holds no phone number of the test block and no coupon number in clear.
/// Features that store personal data add their writes to <see cref="WritePersonalDataAsync"/>'s kind of scenario.
/// </summary>
public sealed partial class DatabaseDumpTests(CouponDeskFactory factory) : IClassFixture<CouponDeskFactory>
{
    private const string CouponNumber = "918273645501928374";

    [GeneratedRegex(@"010-?0[0-9]{3}-?[0-9]{4}")]
    private static partial Regex TestPhone();

    private async Task WritePersonalDataAsync()
    {
        var admin = await factory.CreateClientAsync(Roles.Admin);
        for (var i = 0; i < 3; i++)
        {
            await (await admin.PostAsJsonAsync("/api/users", new { loginId = $"dumpuser{i}", password = "Quiet-River-2047", name = "김철수", email = $"dump{i}@example.com", mobile = $"0100000{i:D4}", role = Roles.Operator, status = "ACTIVE" }))
                .JsonAsync(HttpStatusCode.Created);
        }

        // Someone types a phone number as the login id; another feature audits with careless details.
        await factory.CreateClient().LoginRaw("010-0123-4567", "Whatever#2026x");
        await factory.Services.GetRequiredService<AuditTrail>().WriteAsync(new AuditEntry
        {
            Action = "cs.searched",
            ActorLogin = "tester",
            Subject = "01001234567",
            Reason = $"customer asked about coupon {CouponNumber} for 010-0555-1234",
            Details = new Dictionary<string, string?> { ["phone"] = "01005551234", ["coupon"] = CouponNumber },
        });
    }

    [Fact]
    public async Task A_dump_of_every_table_holds_no_clear_phone_or_coupon_number()
    {
        await WritePersonalDataAsync();
        await using var connection = await factory.Database.OpenAsync();
        var columns = (await connection.QueryAsync<(string Table, string Column, string Type)>(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position")).ToList();
        var leaks = new List<string>();
        var scanned = 0;
        foreach (var table in columns.GroupBy(c => c.Table))
        {
            // Text as text; binary bytes one character each (latin1), so a clear value inside a blob would show too.
            var select = string.Join(", ", table.Select(c => c.Type.Contains("binary", StringComparison.OrdinalIgnoreCase) || c.Type.Contains("blob", StringComparison.OrdinalIgnoreCase)
                ? $"CAST(`{c.Column}` AS CHAR CHARACTER SET latin1)"
                : $"CAST(`{c.Column}` AS CHAR)"));
            foreach (var row in await connection.QueryAsync($"SELECT {select} FROM `{table.Key}`"))
            {
                foreach (var value in ((IDictionary<string, object?>)row).Values.OfType<string>())
                {
                    scanned++;
                    if (TestPhone().IsMatch(value) || value.Contains(CouponNumber, StringComparison.Ordinal) || value.Contains("김철수", StringComparison.Ordinal))
                    {
                        leaks.Add($"{table.Key}: {Shared.Logging.SensitiveDataMasker.Mask(value)}");
                    }
                }
            }
        }

        Assert.True(scanned > 50, $"only {scanned} values scanned");
        Assert.True(leaks.Count == 0, "clear personal data in the database:\n" + string.Join("\n", leaks));
    }
}
