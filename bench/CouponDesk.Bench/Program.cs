using CouponDesk.Bench;

// Benchmarks: `dotnet run -c Release --project bench/CouponDesk.Bench -- <name> [options]`.
// Each prints its figures; record them in docs/benchmarks.md with the machine, the date and the command.
var benchmarks = BenchmarkRegistry.All;
if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.WriteLine("usage: CouponDesk.Bench <name> [options]\n\nbenchmarks:");
    foreach (var (name, b) in benchmarks)
    {
        Console.WriteLine($"  {name,-20} {b.Description}");
    }

    return args.Length == 0 ? 0 : 64;
}

return await benchmark.RunAsync(args[1..]);
