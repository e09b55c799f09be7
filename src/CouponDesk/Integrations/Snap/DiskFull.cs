namespace CouponDesk.Integrations.Snap;

/// <summary>
/// Whether an <see cref="IOException"/> means the file system is full (or the user's quota is used up): on Linux .NET
/// puts the errno in <see cref="Exception.HResult"/> (ENOSPC 28, EDQUOT 122); on Windows it is ERROR_DISK_FULL /
/// ERROR_HANDLE_DISK_FULL. A full image store is no fault of the item: it waits for space instead of failing (issue 22).
/// </summary>
public static class DiskFull
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027);
    private const int ErrorDiskFull = unchecked((int)0x80070070);

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: Enospc or Edquot or ErrorHandleDiskFull or ErrorDiskFull })
            {
                return true;
            }
        }

        return false;
    }
}
