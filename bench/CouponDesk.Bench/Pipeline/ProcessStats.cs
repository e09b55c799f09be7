using System.Globalization;
using CouponDesk.TestSupport;
using Dapper;
using MySqlConnector;

namespace CouponDesk.Bench.Pipeline;

/// <summary>Where a benchmark's CPU and memory went: /proc figures of this machine's processes.</summary>
public static class ProcessStats
{
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    /// <summary>The test MariaDB's process id when it runs on this machine (its pid file is readable), else null.</summary>
    public static Task<int?> DatabaseServerPidAsync(TestDatabase database) => ServerPidAsync(database.ConnectionString);

    /// <summary>User + system CPU seconds a process has used (/proc/PID/stat, 100 ticks per second); 0 when it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>VmHWM (peak resident set) of a process, in KB; 0 when it is gone.</summary>
    public static long PeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A database server's process id from its pid file, when it runs on this machine.</summary>
    public static async Task<int?> ServerPidAsync(string connectionString)
    {
        await using var c = new MySqlConnection(connectionString);
        await c.OpenAsync();
        var pidFile = await c.ExecuteScalarAsync<string?>("SELECT @@pid_file");
        return pidFile is not null && File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
