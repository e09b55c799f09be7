namespace CouponDesk.TestSupport;

/// <summary>The repository's root (the folder holding <c>CouponDesk.slnx</c>), for tests that read its docs or sources.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CouponDesk.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CouponDesk.slnx not found above " + AppContext.BaseDirectory);
    }
}
