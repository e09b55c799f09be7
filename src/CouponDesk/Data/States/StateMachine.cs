using System.Globalization;

namespace CouponDesk.Data.States;

/// <summary>
/// One allowed state change: its id (spec §4 numbering such as <c>C7</c> or <c>D9</c>, or an id of our own for a change the
/// spec's tables do not list), the states it leaves from and the states it may reach. <see cref="AddedBecause"/> is null for
/// a row of the spec's tables and says why otherwise.
/// </summary>
public sealed record Transition(string Id, IReadOnlyList<string> From, IReadOnlyList<string> To, string? AddedBecause = null)
{
    public Transition(string id, string from, string to, string? addedBecause = null)
        : this(id, [from], [to], addedBecause)
    {
    }
}

/// <summary>
/// A state machine as data (docs/architecture.md "State machines"): its states and its allowed transitions. The owner class
/// of each machine checks every change it writes against this, so an illegal change is an error naming from and to
/// instead of a row in a state nobody planned for.
/// </summary>
public sealed class StateMachine
{
    /// <summary>The pseudo-state a row is created from (spec "—").</summary>
    public const string New = "(new)";

    /// <summary>The pseudo-state of a soft-deleted row (spec "(deleted)").</summary>
    public const string Deleted = "(deleted)";

    /// <summary>As a target: the row keeps its state while other columns change (spec "→ same state").</summary>
    public const string Same = "(same)";

    private readonly HashSet<(string From, string To)> allowed = [];

    public StateMachine(string name, IReadOnlyList<string> states, IReadOnlyList<Transition> transitions)
    {
        Name = name;
        States = states;
        Transitions = transitions;
        foreach (var t in transitions)
        {
            foreach (var state in t.From.Concat(t.To).Where(s => s is not (New or Deleted or Same) && !states.Contains(s)))
            {
                throw new ArgumentException($"{name} transition {t.Id} names the unknown state {state}", nameof(transitions));
            }

            foreach (var from in t.From)
            {
                foreach (var to in t.To)
                {
                    allowed.Add((from, to == Same ? from : to));
                }
            }
        }
    }

    public string Name { get; }

    public IReadOnlyList<string> States { get; }

    public IReadOnlyList<Transition> Transitions { get; }

    public bool Allows(string from, string to) => allowed.Contains((from, to));

    /// <summary>Throws <see cref="IllegalTransitionException"/> unless <paramref name="from"/> → <paramref name="to"/> is allowed.</summary>
    public void Check(string from, string to)
    {
        if (!Allows(from, to))
        {
            throw new IllegalTransitionException(Name, from, to);
        }
    }

    /// <summary>Checks every <paramref name="from"/> state against <paramref name="to"/>; returns the from states for the SQL guard.</summary>
    public string[] Check(IReadOnlyCollection<string> from, string to)
    {
        foreach (var f in from)
        {
            Check(f, to);
        }

        return [.. from];
    }

    /// <summary>A SQL list literal of known states, <c>('A', 'B')</c>, for statements that filter on them.</summary>
    public string InSql(params string[] states)
    {
        foreach (var s in states.Where(s => !States.Contains(s)))
        {
            throw new ArgumentException($"{Name} has no state {s}", nameof(states));
        }

        return "(" + string.Join(", ", states.Select(s => string.Create(CultureInfo.InvariantCulture, $"'{s}'"))) + ")";
    }
}

/// <summary>A state change a machine does not allow; a programming error, never a user's mistake.</summary>
public sealed class IllegalTransitionException(string machine, string from, string to)
    : InvalidOperationException($"{machine}: {from} -> {to} is not an allowed transition")
{
    public string Machine { get; } = machine;

    public string From { get; } = from;

    public string To { get; } = to;
}
