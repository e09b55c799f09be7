using CouponDesk.Shared.Hosting;

namespace CouponDesk.CoufunStandIn;

/// <summary>
/// Entry point. A named class rather than top-level statements: the test projects reference the back office and the
/// stand-in together, and two global <c>Program</c> types would collide.
/// </summary>
public static class StandInProgram
{
    public static Task<int> Main(string[] args) => HostRunner.RunAsync(async () =>
    {
        await CoufunStandInApp.Build(args).RunAsync();
        return 0;
    });
}
