using System.Globalization;

namespace CouponDesk.Features.Alerts;

/// <summary>A directory whose file system is watched for disk use (registered by the feature that writes there).</summary>
/// <param name="NameKo">What is stored there, as the alert names it (e.g. "쿠폰 이미지").</param>
/// <param name="Path">The directory (it may not exist yet: its nearest existing parent is measured).</param>
public sealed record WatchedDirectory(string NameKo, string Path);

/// <summary>
/// Spec §5.9 "disk use &gt; 80 %": the file system of every watched store (coupon images, product images) fuller than
/// <see cref="AlertsOptions.DiskUsePercent"/> raises <c>disk.usage</c>, once per file system per throttle window. A full
/// image store stops rendering (the pipeline then fails items with a stated reason), so the warning must come first.
/// </summary>
public sealed class StorageSpaceCheck(IEnumerable<WatchedDirectory> directories, AlertsOptions options, IOperationsAlerts alerts)
{
    public sealed record Usage(string Mount, double Percent, IReadOnlyList<string> Stores);

    /// <summary>Measures every watched file system; raises the alert for those over the limit and returns them.</summary>
    public async Task<IReadOnlyList<Usage>> CheckAsync(CancellationToken ct)
    {
        var over = new List<Usage>();
        foreach (var mount in directories.Where(d => !string.IsNullOrWhiteSpace(d.Path)).GroupBy(d => MountOf(d.Path), StringComparer.Ordinal))
        {
            var drive = new DriveInfo(mount.Key);
            if (!drive.IsReady || drive.TotalSize <= 0)
            {
                continue;
            }

            var percent = 100.0 * (drive.TotalSize - drive.AvailableFreeSpace) / drive.TotalSize;
            if (percent <= options.DiskUsePercent)
            {
                continue;
            }

            var usage = new Usage(mount.Key, percent, [.. mount.Select(d => d.NameKo).Distinct(StringComparer.Ordinal)]);
            over.Add(usage);
            await alerts.RaiseAsync(new OperationsAlert(
                "disk.usage",
                string.Create(CultureInfo.InvariantCulture,
                    $"디스크 사용량 {percent:F0}% (기준 {options.DiskUsePercent}%): {string.Join(", ", usage.Stores)} 저장소가 있는 {mount.Key} 의 남은 공간 {drive.AvailableFreeSpace / (1024.0 * 1024 * 1024):F1} GB. 공간이 없으면 쿠폰 이미지를 만들지 못합니다. 오래된 파일 정리나 디스크 증설이 필요합니다."),
                AlertSeverity.Warning,
                $"disk:{mount.Key}"), ct);
        }

        return over;
    }

    /// <summary>The mount point holding <paramref name="path"/> (its nearest existing parent), as /proc/self/mounts lists it.</summary>
    public static string MountOf(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        while (!Directory.Exists(full) && System.IO.Path.GetDirectoryName(full) is { } parent)
        {
            full = parent;
        }

        var mounts = DriveInfo.GetDrives().Select(d => d.RootDirectory.FullName.TrimEnd('/')).ToList();
        return mounts
            .Where(m => full == m || full.StartsWith(m + "/", StringComparison.Ordinal) || m.Length == 0)
            .OrderByDescending(m => m.Length)
            .Select(m => m.Length == 0 ? "/" : m)
            .FirstOrDefault() ?? "/";
    }
}
