using Serilog.Core;
using Serilog.Events;

namespace CouponDesk.TestSupport;

/// <summary>Every log event of a host under test, for a test that must see something logged (register it as <see cref="ILogEventSink"/>).</summary>
public sealed class RecordingLogSink : ILogEventSink
{
    private readonly List<LogEvent> events = [];

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (events)
        {
            events.Add(logEvent);
        }
    }
}
