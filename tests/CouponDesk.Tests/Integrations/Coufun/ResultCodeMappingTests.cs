using CouponDesk.Integrations.Coufun;

namespace CouponDesk.Tests.Integrations.Coufun;

/// <summary>Every row of the vendor's code table maps to exactly the outcome its class says (spec §8.2, §9).</summary>
public sealed class ResultCodeMappingTests
{
    public static TheoryData<string, string, string> Rows()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in CoufunResultCodes.All.Where(r => r.Api != "exchange-push"))
        {
            data.Add(row.Api, row.Code, row.Class.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_code_of_the_table_maps_to_the_outcome_of_its_class(string api, string code, string cls)
    {
        var apis = api == "all" ? Enum.GetValues<CoufunApi>() : [Enum.GetValues<CoufunApi>().Single(a => CoufunResultCodes.ApiName(a) == api)];
        foreach (var a in apis)
        {
            var effective = CoufunResultCodes.Find(CoufunResultCodes.ApiName(a), code)!;
            if (api == "all" && effective.Api != "all")
            {
                continue; // the endpoint's own row wins
            }

            var expected = a == CoufunApi.Create && code is "12" or "23"
                ? CoufunOutcome.Duplicate
                : Enum.Parse<CoufunResultClass>(cls) switch
                {
                    CoufunResultClass.Success => CoufunOutcome.Success,
                    CoufunResultClass.Transient => CoufunOutcome.Transient,
                    CoufunResultClass.HumanAction => CoufunOutcome.NeedsPerson,
                    CoufunResultClass.ClientError or CoufunResultClass.BusinessRejection => CoufunOutcome.Rejected,
                    _ => CoufunOutcome.Unknown,
                };
            Assert.Equal(expected, CoufunResultCodes.Outcome(a, code));
        }
    }

    [Theory]
    [InlineData(CoufunApi.Cancel, "18", CoufunOutcome.Success)]
    [InlineData(CoufunApi.Status, "18", CoufunOutcome.Rejected)]
    [InlineData(CoufunApi.Create, "12", CoufunOutcome.Duplicate)]
    [InlineData(CoufunApi.Create, "10", CoufunOutcome.NeedsPerson)]
    [InlineData(CoufunApi.Status, "10", CoufunOutcome.Rejected)]
    [InlineData(CoufunApi.Product, "09", CoufunOutcome.Transient)]
    [InlineData(CoufunApi.Create, "50", CoufunOutcome.Transient)]
    [InlineData(CoufunApi.Create, "77", CoufunOutcome.Unknown)]
    [InlineData(CoufunApi.Status, "13", CoufunOutcome.Unknown)]
    public void Endpoint_specific_rows_win_over_the_all_row(CoufunApi api, string code, CoufunOutcome expected) =>
        Assert.Equal(expected, CoufunResultCodes.Outcome(api, code));

    [Fact]
    public void The_table_was_embedded_whole() => Assert.True(CoufunResultCodes.All.Count >= 45);
}
