using System.Text.RegularExpressions;
using CouponDesk.Features.Audit;

namespace CouponDesk.Tests.Audit;

/// <summary>Issue 14 point 10: every audit action the code base writes has a Korean name on the 감사로그 page.</summary>
public sealed partial class AuditLabelsTests
{
    [Fact]
    public void Every_action_written_in_the_code_base_has_a_korean_name()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "CouponDesk");
        var written = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Written().Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(written.Count >= 40, $"the scan found only {written.Count} actions: {string.Join(", ", written)}");
        Assert.All(written, code => Assert.True(AuditLabels.ActionName(code) is not null, $"audit action '{code}' has no Korean name in AuditLabels"));
        Assert.Equal(AuditLabels.Actions.Count, AuditLabels.Actions.Select(a => a.Code).Distinct(StringComparer.Ordinal).Count());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CouponDesk.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CouponDesk.slnx not found");
    }

    // Entry("x.y"), Action = "x.y", ActAsync(id, actor, "x.y", …) and the constants of the audit event classes
    // (const string Foo = "x.y" inside AuditActions / CampaignAuditEvents, or a const named …Action).
    [GeneratedRegex(@"(?:Entry\(|Action = |ActAsync\(\w+, \w+, |const string \w*Action\w* = |const string (?:Login|Logout|SessionExpired|SessionEnded|PasswordChanged|AccessDenied|User\w+|Audit\w+|KeyRotation|PiiPurged|Created|Updated|Submitted|Unscheduled|Cancelled|Deleted|Banner\w+|Recipient\w+|SenderNumber\w+) = )""(?<code>[a-z_]+\.[a-z_-]+)""")]
    private static partial Regex Written();
}
