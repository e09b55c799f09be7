using System.Reflection;
using CouponDesk.Shared.Text;

namespace CouponDesk.CoufunStandIn.Protocol;

/// <summary>
/// The Korean RESULT_MSG for a failure: the code table's message up to its explanation in brackets
/// ("TR_ID 중복 오류 (기존 요청한 TR_ID로 다시 요청)" → "TR_ID 중복 오류"), as the manual's examples show it.
/// </summary>
public static class ResultMessages
{
    private static readonly Dictionary<(string Api, string Code), string> Messages = Load();

    public static string For(string api, string code) =>
        Messages.TryGetValue((api, code), out var m) || Messages.TryGetValue(("all", code), out m) ? m : "기타 오류";

    private static Dictionary<(string, string), string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CouponDesk.CoufunStandIn.coufun-result-codes.csv")
            ?? throw new InvalidOperationException("coufun-result-codes.csv is not embedded");
        using var reader = new StreamReader(stream);
        var result = new Dictionary<(string, string), string>();
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = CsvLine.Split(line);
            if (fields.Count < 5)
            {
                continue;
            }

            var korean = fields[3];
            var bracket = korean.IndexOf(" (", StringComparison.Ordinal);
            result[(fields[0], fields[1])] = bracket > 0 ? korean[..bracket] : korean;
        }

        return result;
    }
}
