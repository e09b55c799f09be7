using System.Text.RegularExpressions;
using CouponDesk.Data.States;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Pipeline;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Architecture;

/// <summary>
/// The owners' transition data against the spec's tables (the copy in docs/rules/state-machines.md): every row of the
/// spec is allowed with the same id and the same from and to states, every other allowed transition says why it was
/// added, and the state lists match.
/// </summary>
public sealed partial class StateMachineSpecTests
{
    /// <summary>"PENDING … QUEUED" in the item table (spec D12, D14): the pipeline's path.</summary>
    private static readonly string[] ItemPath = [ItemStatus.Pending, ItemStatus.Issuing, ItemStatus.Issued, ItemStatus.Rendered, ItemStatus.Queued];

    private static readonly string Copy = File.ReadAllText(RepositoryPaths.Path("docs", "rules", "state-machines.md"));

    public static TheoryData<string, string> Machines => new()
    {
        { "campaign", "§4.1 Campaign" },
        { "delivery item", "§4.2 Delivery item" },
        { "coupon", "§4.3 Coupon" },
    };

    [Theory]
    [MemberData(nameof(Machines))]
    public void Every_spec_transition_is_allowed_with_its_id_and_nothing_else_without_a_reason(string machineName, string section)
    {
        var machine = MachineNamed(machineName);
        var spec = SpecTransitions(Section(section), machine);
        Assert.NotEmpty(spec);
        foreach (var (id, pairs) in spec)
        {
            var data = machine.Transitions.Where(t => t.Id == id).ToList();
            Assert.True(data.Count > 0, $"{machineName}: spec row {id} has no transition in the data");
            Assert.All(data, t => Assert.Null(t.AddedBecause));
            Assert.Equal(pairs.Order(), Pairs(data).Order());
        }

        foreach (var added in machine.Transitions.Where(t => !spec.ContainsKey(t.Id)))
        {
            Assert.False(string.IsNullOrWhiteSpace(added.AddedBecause), $"{machineName}: {added.Id} is not in the spec and does not say why it was added");
        }
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void The_states_are_the_spec_states(string machineName, string section)
    {
        var machine = MachineNamed(machineName);
        var states = StateColumn(Section(section)).Where(s => s != "(none)").ToList();
        Assert.Equal(states.Order(), machine.States.Order());
    }

    [Fact]
    public void Issuance_orders_follow_the_pipeline_picture_and_add_only_the_retry_wait()
    {
        var machine = OrderStatus.Machine;
        var specStates = StateColumn(Section("§4.4 Issuance order")).ToList();
        Assert.Equal([OrderStatus.RetryWait], machine.States.Except(specStates));
        Assert.Empty(specStates.Except(machine.States));
        // §4.0: PLANNED ─▶ REQUESTED ─▶ SUCCEEDED / FAILED / IN_DOUBT ─▶ settled (§4.4: an IN_DOUBT order is settled).
        Assert.Contains("PLANNED ─▶ REQUESTED ─▶ SUCCEEDED / FAILED / IN_DOUBT ─▶ settled", Copy, StringComparison.Ordinal);
        Assert.True(machine.Allows(OrderStatus.Planned, OrderStatus.Requested));
        Assert.All([OrderStatus.Succeeded, OrderStatus.Failed, OrderStatus.InDoubt], to => Assert.True(machine.Allows(OrderStatus.Requested, to)));
        Assert.All([OrderStatus.SettledIssued, OrderStatus.SettledNotIssued], to => Assert.True(machine.Allows(OrderStatus.InDoubt, to)));
        Assert.All(machine.Transitions.Where(t => t.Id is not ("O1" or "O2" or "O3" or "O4")), t => Assert.False(string.IsNullOrWhiteSpace(t.AddedBecause)));
    }

    [Fact]
    public async Task An_illegal_transition_is_an_error_naming_from_and_to()
    {
        var e = Assert.Throws<IllegalTransitionException>(() => CampaignStatus.Machine.Check(CampaignStatus.Draft, CampaignStatus.Sending));
        Assert.Contains("campaign: DRAFT -> SENDING", e.Message, StringComparison.Ordinal);

        // The owners check before they touch the database (no connection needed to see the refusal).
        var item = await Assert.ThrowsAsync<IllegalTransitionException>(() => DeliveryItemTransitions.IssueEndedAsync(
            null!, null!, [1L], ItemStatus.Sent, null, null, DateTime.UtcNow, CancellationToken.None));
        Assert.Equal((ItemStatus.Issuing, ItemStatus.Sent), (item.From, item.To));
        var order = await Assert.ThrowsAsync<IllegalTransitionException>(() => IssuanceOrderTransitions.SettleAsync(
            null!, null!, 1, OrderStatus.Succeeded, null, null, DateTime.UtcNow, CancellationToken.None));
        Assert.Equal((OrderStatus.InDoubt, OrderStatus.Succeeded), (order.From, order.To));
        var campaign = await Assert.ThrowsAsync<IllegalTransitionException>(() => CampaignTransitions.FinishAsync(
            null!, null!, 1, CampaignStatus.Paused, 1, 0, DateTime.UtcNow, CancellationToken.None));
        Assert.Equal((CampaignStatus.Paused, CampaignStatus.Completed), (campaign.From, campaign.To));
    }

    [Fact]
    public void Status_values_are_the_owners_constants()
    {
        // A state list that names a value twice, or a transition naming a state the machine lacks, fails at type load.
        foreach (var machine in new[] { CampaignStatus.Machine, ItemStatus.Machine, OrderStatus.Machine, CouponStatus.Machine })
        {
            Assert.Equal(machine.States.Count, machine.States.Distinct().Count());
        }

        Assert.Equal("('ISSUING', 'SENDING')", CampaignStatus.RunningSql);
    }

    private static StateMachine MachineNamed(string name) => name switch
    {
        "campaign" => CampaignStatus.Machine,
        "delivery item" => ItemStatus.Machine,
        "coupon" => CouponStatus.Machine,
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static string Section(string heading)
    {
        var start = Copy.IndexOf("## " + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{heading} not found in docs/rules/state-machines.md");
        var end = Copy.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? Copy[start..] : Copy[start..end];
    }

    private static IEnumerable<string[]> Rows(string section, string header) =>
        section[section.IndexOf(header, StringComparison.Ordinal)..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray());

    private static IEnumerable<string> StateColumn(string section) =>
        Rows(section, "| State |").SelectMany(r => r[0].Split('/').Select(s => s.Trim()));

    private static Dictionary<string, HashSet<(string, string)>> SpecTransitions(string section, StateMachine machine)
    {
        var result = new Dictionary<string, HashSet<(string, string)>>();
        foreach (var row in Rows(section, "| # | From → To |"))
        {
            var pairs = result[row[0]] = [];
            foreach (var segment in row[1].Split(';'))
            {
                var sides = segment.Split('→');
                Assert.Equal(2, sides.Length);
                var to = States(sides[1], machine);
                foreach (var from in States(sides[0], machine))
                {
                    foreach (var t in to)
                    {
                        pairs.Add((from, t == StateMachine.Same ? from : t));
                    }
                }
            }
        }

        return result;
    }

    private static List<string> States(string cell, StateMachine machine)
    {
        var text = cell.Replace("`", "", StringComparison.Ordinal).Trim();
        text = text switch
        {
            "—" or "(none)" => StateMachine.New,
            "(deleted)" => StateMachine.Deleted,
            "same state" => StateMachine.Same,
            "any" => string.Join(" / ", machine.States),
            _ => Parenthetical().Replace(text, "").Trim(),
        };
        if (text.Contains('…', StringComparison.Ordinal))
        {
            var ends = text.Split('…').Select(s => s.Trim()).ToArray();
            var path = ItemPath.ToList();
            return path.GetRange(path.IndexOf(ends[0]), path.IndexOf(ends[1]) - path.IndexOf(ends[0]) + 1);
        }

        return [.. text.Split([" / ", " or "], StringSplitOptions.TrimEntries)];
    }

    private static IEnumerable<(string, string)> Pairs(IEnumerable<Transition> transitions) =>
        transitions.SelectMany(t => t.From.SelectMany(f => t.To.Select(to => (f, to == StateMachine.Same ? f : to)))).Distinct();

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex Parenthetical();
}
