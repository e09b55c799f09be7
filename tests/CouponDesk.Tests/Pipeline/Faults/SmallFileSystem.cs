using System.Globalization;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>
/// A real small file system for the image store: a tmpfs of a given size mounted on a fresh directory (needs root, as
/// scripts/test runs on CI and on the development machines). Filling it with a filler file gives the kernel's own ENOSPC
/// to whoever writes next; <see cref="Free"/> deletes the filler. Unmounted (lazily) and removed on dispose.
/// </summary>
public sealed class SmallFileSystem : IAsyncDisposable
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler.bin");

    /// <summary>Why no tmpfs can be mounted here (not root, no mount permission), or null when it can.</summary>
    public static string? SkipReason => Unavailable.Value;

    public static async Task<SmallFileSystem> MountAsync(long megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cd-small-fs-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        (await ExternalCommand.RunAsync("mount", ["-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={megabytes}m,mode=0777"), "tmpfs", path]))
            .EnsureSuccess("mount tmpfs");
        return new SmallFileSystem(path);
    }

    /// <summary>Writes the filler until the file system answers ENOSPC; returns the bytes it took.</summary>
    public long Fill()
    {
        var chunk = new byte[256 * 1024];
        long written = 0;
        using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                file.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // full: the kernel said ENOSPC
        }

        // Top up byte by byte sized pieces so not even a small file fits.
        foreach (var size in new[] { 16384, 1024, 64, 1 })
        {
            try
            {
                while (true)
                {
                    file.Write(chunk, 0, size);
                    written += size;
                }
            }
            catch (IOException)
            {
                // full at this size too
            }
        }

        return written;
    }

    public void Free() => File.Delete(Filler);

    public async ValueTask DisposeAsync()
    {
        await ExternalCommand.RunAsync("umount", ["-l", Path]);
        Directory.Delete(Path, recursive: true);
    }

    private static string? Probe()
    {
        try
        {
            var fs = MountAsync(1).GetAwaiter().GetResult();
            fs.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException or IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return "no tmpfs can be mounted here (the image-store scenario needs root): " + ex.Message.Split('\n')[0];
        }
    }
}

/// <summary>A test that needs <see cref="SmallFileSystem"/>; skipped, with the reason, where no tmpfs can be mounted.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SmallFileSystemFactAttribute : FactAttribute
{
    public SmallFileSystemFactAttribute()
    {
        if (SmallFileSystem.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
