namespace CouponDesk.SnapStandIn.Tests;

/// <summary>Phone rules: a plain code always, <c>CODE:N</c> only for the first N messages to each number.</summary>
public sealed class OutcomePolicyTests
{
    [Fact]
    public void A_CODE_N_rule_fails_the_first_N_messages_to_a_number_and_lets_later_ones_through()
    {
        var policy = new OutcomePolicy(new AgentOptions { ConnectionString = "x", Home = "x" });

        Assert.Equal("31112", policy.Decide("KEY1", "01009960001"));
        Assert.Equal("31112", policy.Decide("KEY1", "01009960001")); // the same message keeps its result
        Assert.Equal("10000", policy.Decide("KEY2", "01009960001"));
        Assert.Equal("31112", policy.Decide("KEY3", "01009960002")); // counted per number
        Assert.Equal("31112", policy.Decide("KEY4", "01009920001")); // plain rule: always
        Assert.Equal("31112", policy.Decide("KEY5", "01009920001"));
        Assert.Equal("10000", policy.Decide("KEY6", "01000000001"));
    }
}
