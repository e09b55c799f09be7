using System.Reflection;
using CouponDesk.Shared.Text;

namespace CouponDesk.Integrations.Coufun;

/// <summary>
/// The vendor's code table, embedded from <c>coufun-result-codes.csv</c>: look up <c>(api, code)</c>, then
/// <c>("all", code)</c>; no row → <see cref="CoufunResultClass.Unknown"/> (spec §9).
/// </summary>
public static class CoufunResultCodes
{
    private static readonly Dictionary<(string Api, string Code), Row> Rows = Load();

    public sealed record Row(string Api, string Code, string MeaningEn, string MeaningKo, CoufunResultClass Class);

    public static string ApiName(CoufunApi api) => api switch
    {
        CoufunApi.Product => "coufunProduct.do",
        CoufunApi.Create => "coufunCreate.do",
        CoufunApi.Status => "coufunPartAmountStatus.do",
        CoufunApi.Cancel => "coufunPartCancel.do",
        _ => throw new ArgumentOutOfRangeException(nameof(api)),
    };

    public static Row? Find(string api, string code) =>
        Rows.TryGetValue((api, code), out var row) || Rows.TryGetValue(("all", code), out row) ? row : null;

    public static CoufunResultClass Classify(CoufunApi api, string code) => Find(ApiName(api), code)?.Class ?? CoufunResultClass.Unknown;

    /// <summary>The outcome a caller acts on for an answer with this code.</summary>
    public static CoufunOutcome Outcome(CoufunApi api, string code)
    {
        if (api == CoufunApi.Create && code is "12" or "23")
        {
            return CoufunOutcome.Duplicate;
        }

        return Classify(api, code) switch
        {
            CoufunResultClass.Success => CoufunOutcome.Success,
            CoufunResultClass.Transient => CoufunOutcome.Transient,
            CoufunResultClass.HumanAction => CoufunOutcome.NeedsPerson,
            CoufunResultClass.ClientError or CoufunResultClass.BusinessRejection => CoufunOutcome.Rejected,
            _ => CoufunOutcome.Unknown,
        };
    }

    /// <summary>The Korean meaning for an operator-facing reason ("TR_ID 중복 오류 (…)").</summary>
    public static string DescribeKo(CoufunApi api, string code) => Find(ApiName(api), code)?.MeaningKo ?? $"알 수 없는 결과 코드 {code}";

    public static IReadOnlyCollection<Row> All => Rows.Values;

    private static Dictionary<(string, string), Row> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CouponDesk.Integrations.Coufun.coufun-result-codes.csv")
            ?? throw new InvalidOperationException("coufun-result-codes.csv is not embedded");
        using var reader = new StreamReader(stream);
        var rows = new Dictionary<(string, string), Row>();
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var f = CsvLine.Split(line);
            if (f.Count < 5)
            {
                continue;
            }

            var cls = f[4] switch
            {
                "success" => CoufunResultClass.Success,
                "transient" => CoufunResultClass.Transient,
                "client_error" => CoufunResultClass.ClientError,
                "human_action" => CoufunResultClass.HumanAction,
                "business_rejection" => CoufunResultClass.BusinessRejection,
                _ => CoufunResultClass.Unknown,
            };
            rows[(f[0], f[1])] = new Row(f[0], f[1], f[2], f[3], cls);
        }

        return rows;
    }
}
