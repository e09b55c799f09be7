using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Galera;

/// <summary>A test that needs the Galera cluster scripts/test starts; skipped, with the reason, where none could start.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GaleraFactAttribute : FactAttribute
{
    public GaleraFactAttribute()
    {
        if (GaleraCluster.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
