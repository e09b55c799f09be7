using System.Globalization;

namespace CouponDesk.Hosting;

/// <summary>
/// The system clock shifted by a fixed offset — a test seam (issue 22): with <c>Testing:ClockOffsetSeconds</c>, honoured
/// only in the <c>Testing</c> environment, a back office under test lives at another date (e.g. seconds before a KST
/// month change) while time still passes at its real pace. Timestamps (elapsed time) are not shifted.
/// </summary>
public sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;

    public static ShiftedClock? FromTestingSettings(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsEnvironment("Testing")
        && int.TryParse(configuration["Testing:ClockOffsetSeconds"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
        && seconds != 0
            ? new ShiftedClock(TimeSpan.FromSeconds(seconds))
            : null;
}
