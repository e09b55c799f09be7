namespace CouponDesk.TestSupport;

/// <summary>Files of the repository itself (deploy/, scripts/), found from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CouponDesk.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CouponDesk.slnx not found above " + AppContext.BaseDirectory);
    }
}
