namespace CouponDesk.Hosting;

/// <summary>
/// Which parts of CouponDesk this process runs. One executable, roles by configuration (<c>CouponDesk:Roles</c>):
/// <c>web</c> serves the API and pages, <c>worker</c> runs the campaign pipeline, <c>jobs</c> runs the periodic Quartz
/// jobs. All three by default; production runs them as separate systemd services. Health endpoints are always served.
/// </summary>
public sealed record AppRoles(bool Web, bool Worker, bool Jobs)
{
    public static readonly string[] Known = ["web", "worker", "jobs"];

    public static AppRoles Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new AppRoles(true, true, true);
        }

        var parts = value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant())
            .ToArray();
        var unknown = parts.Where(p => !Known.Contains(p)).ToArray();
        if (unknown.Length > 0)
        {
            throw new Shared.Hosting.ConfigurationException(
                $"CouponDesk:Roles: unknown role(s) '{string.Join(", ", unknown)}'; use any of {string.Join(", ", Known)}");
        }

        return new AppRoles(parts.Contains("web"), parts.Contains("worker"), parts.Contains("jobs"));
    }

    public override string ToString() =>
        string.Join(",", new[] { Web ? "web" : null, Worker ? "worker" : null, Jobs ? "jobs" : null }.Where(r => r is not null));
}
