using System.Reflection;
using System.Text;
using CouponDesk.Shared.Text;

namespace CouponDesk.Shared.Snap;

/// <summary>
/// The SNAP Agent's result codes (spec/data/snap-done-codes.csv, embedded verbatim). Success is exactly <c>10000</c>;
/// every other code on a finished row is a failure of that attempt, some of them "resend recommended" by the manual.
/// Range rows (<c>49xxx</c>, <c>9xxxx</c>) cover codes the manual names only as a range.
/// </summary>
public static class SnapDoneCodes
{
    public const string Success = "10000";

    private static readonly Lazy<IReadOnlyDictionary<string, SnapDoneCode>> Table = new(Load);

    public static IReadOnlyDictionary<string, SnapDoneCode> All => Table.Value;

    /// <summary>The row for a code as the agent wrote it (trimmed), a range row, or null when the code is unknown.</summary>
    public static SnapDoneCode? Find(string? code)
    {
        var trimmed = code?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (Table.Value.TryGetValue(trimmed, out var exact))
        {
            return exact;
        }

        // "49xxx" / "9xxxx": the code's leading digits followed by x's.
        foreach (var row in Table.Value.Values.Where(r => r.IsRange))
        {
            var prefix = row.Code.TrimEnd('x');
            if (trimmed.Length == row.Code.Length && trimmed.StartsWith(prefix, StringComparison.Ordinal) && trimmed.All(char.IsAsciiDigit))
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>Success, resend-recommended failure, or final failure (an unknown code is a final failure).</summary>
    public static SnapOutcome Classify(string? code)
    {
        if (string.Equals(code?.Trim(), Success, StringComparison.Ordinal))
        {
            return SnapOutcome.Success;
        }

        return Find(code)?.ResendRecommended == true ? SnapOutcome.ResendRecommended : SnapOutcome.Failure;
    }

    private static Dictionary<string, SnapDoneCode> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CouponDesk.Shared.Snap.snap-done-codes.csv")
            ?? throw new InvalidOperationException("snap-done-codes.csv is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var rows = new Dictionary<string, SnapDoneCode>(StringComparer.Ordinal);
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = CsvLine.Split(line);
            rows[f[0]] = new SnapDoneCode(f[0], f[1], f[2], f[3] == "success", f[4] == "yes");
        }

        return rows;
    }
}

public sealed record SnapDoneCode(string Code, string MeaningEn, string MeaningKo, bool IsSuccess, bool ResendRecommended)
{
    public bool IsRange => Code.EndsWith('x');
}

public enum SnapOutcome
{
    Success,
    Failure,
    ResendRecommended,
}
