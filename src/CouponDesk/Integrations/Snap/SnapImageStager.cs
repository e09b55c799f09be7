using System.Globalization;
using System.Security.Cryptography;
using CouponDesk.Shared.Time;

namespace CouponDesk.Integrations.Snap;

/// <summary>
/// Puts MMS images where the agent reads them (spec/snap-agent.md §9.2): <c>{ImageDirectory}/{yyyyMMdd KST}/{32 hex}.jpg</c>,
/// a random name that is never reused (a cached path with new content would send one recipient another's coupon),
/// written to a temporary name and renamed, so the agent never sees half a file. Files stay until their message's
/// result is stored; <see cref="Delete"/> purges them afterwards.
/// </summary>
public sealed class SnapImageStager(SnapOptions options, TimeProvider time)
{
    private string Root => Path.GetFullPath(options.ImageDirectory);

    /// <summary>Stages JPEG bytes; returns the staged path on our side.</summary>
    public async Task<string> StageAsync(ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, Kst.Now(time).ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var final = Path.Combine(folder, name + ".jpg");
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await file.WriteAsync(jpeg, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }

            File.Move(temporary, final, overwrite: false);
            return final;
        }
        catch (IOException)
        {
            // A full disk leaves a partial temporary file: it would only hold on to the space the next item needs.
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Stages a copy of a JPEG file (e.g. one the renderer wrote elsewhere).</summary>
    public async Task<string> StageFileAsync(string sourcePath, CancellationToken cancellationToken) =>
        await StageAsync(await File.ReadAllBytesAsync(sourcePath, cancellationToken), cancellationToken);

    /// <summary>True when <paramref name="path"/> is a file inside the image directory (not the directory itself, no tricks with "..").</summary>
    public bool IsStaged(string path)
    {
        var full = Path.GetFullPath(path);
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The path as the agent sees it (prefix mapping §9.2), with '/' separators.</summary>
    public string ToAgentPath(string stagedPath)
    {
        var relative = Path.GetRelativePath(Root, Path.GetFullPath(stagedPath)).Replace(Path.DirectorySeparatorChar, '/');
        return options.AgentImageRoot.TrimEnd('/') + "/" + relative;
    }

    /// <summary>Deletes staged files (only files inside the image directory); returns how many were removed.</summary>
    public int Delete(IEnumerable<string> stagedPaths)
    {
        var removed = 0;
        foreach (var path in stagedPaths.Where(IsStaged))
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                removed++;
            }
        }

        return removed;
    }
}
