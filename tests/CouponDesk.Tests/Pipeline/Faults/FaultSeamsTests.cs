using CouponDesk.Hosting;
using CouponDesk.Integrations.Snap;

namespace CouponDesk.Tests.Pipeline.Faults;

/// <summary>The small pieces the fault suite relies on (issue 22): what counts as a full disk, and the shifted test clock.</summary>
public sealed class FaultSeamsTests
{
    [Fact]
    public void A_full_disk_is_recognised_by_its_errno_and_nothing_else_is()
    {
        Assert.True(DiskFull.Is(new IOException("No space left on device", 28)));
        Assert.True(DiskFull.Is(new InvalidOperationException("wrapped", new IOException("Disk quota exceeded", 122))));
        Assert.False(DiskFull.Is(new IOException("Permission denied", 13)));
        Assert.False(DiskFull.Is(new IOException("no code")));
        Assert.False(DiskFull.Is(new InvalidOperationException("not I/O")));
    }

    [SmallFileSystemFact]
    public async Task The_kernel_says_enospc_as_the_errno_in_the_hresult()
    {
        await using var fs = await SmallFileSystem.MountAsync(1);
        var error = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes(Path.Combine(fs.Path, "big.bin"), new byte[2 * 1024 * 1024]));
        Assert.True(DiskFull.Is(error), $"HResult {error.HResult}: {error.Message}");
    }

    [Fact]
    public void The_shifted_clock_is_ahead_by_its_offset()
    {
        var shifted = new ShiftedClock(TimeSpan.FromDays(20));
        var ahead = shifted.GetUtcNow() - TimeProvider.System.GetUtcNow();
        Assert.InRange(ahead.TotalDays, 19.99, 20.01);
    }
}
