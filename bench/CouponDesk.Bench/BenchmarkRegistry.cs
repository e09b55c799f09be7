namespace CouponDesk.Bench;

/// <summary>A benchmark: prints its own figures and returns an exit code (non-zero when a goal is missed).</summary>
public interface IBenchmark
{
    string Description { get; }

    Task<int> RunAsync(string[] args);
}

/// <summary>Every benchmark, by the name given on the command line. Features add theirs here.</summary>
public static class BenchmarkRegistry
{
    public static IReadOnlyDictionary<string, IBenchmark> All { get; } = new SortedDictionary<string, IBenchmark>
    {
        ["machine"] = new MachineInfo(),
        ["accounts"] = new AccountsBenchmark(),
        ["rendering"] = new RenderingBenchmark(),
        ["rendering-samples"] = new RenderingSamples(),
        ["snap-reconcile"] = new Snap.ReconcileBenchmark(),
        ["recipients-upload"] = new Recipients.RecipientUploadBenchmark(),
        ["pipeline"] = new Pipeline.PipelineBenchmark(),
        ["pipeline-cluster"] = new Pipeline.ClusterBenchmark(),
        ["pipeline-many"] = new Pipeline.ManyCampaignsBenchmark(),
        ["pipeline-kill"] = new Pipeline.RecoveryBenchmark(kill: true),
        ["pipeline-faults"] = new Pipeline.RecoveryBenchmark(kill: false),
        ["cs-search"] = new CustomerService.CsSearchBenchmark(),
        ["status-sync"] = new Coupons.StatusSyncBenchmark(),
        ["load"] = new Scale.LoadBenchmark(),
        ["export"] = new Exports.ExportBenchmark(),
    };
}

/// <summary>Prints what a benchmark record needs about the machine: cores, memory, OS, runtime.</summary>
public sealed class MachineInfo : IBenchmark
{
    public string Description => "print the machine facts a benchmark record needs";

    public Task<int> RunAsync(string[] args)
    {
        Console.WriteLine(Describe());
        return Task.FromResult(0);
    }

    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, " +
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd} UTC";
}
