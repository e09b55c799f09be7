using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace CouponDesk.TestSupport;

/// <summary>The back office with every log event it writes recorded in <see cref="Logs"/>, for tests that assert what was logged (and what was not).</summary>
public class LoggedCouponDeskFactory : CouponDeskFactory
{
    public RecordingLogSink Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }
}
