using Aurous.Client.Benchmarks;

if (args.Length > 0 && args[0] == TeamProcessesBenchmark.ChildArgument)
{
    return await TeamProcessesBenchmark.RunChildAsync(args);
}

if (args.Length > 0 && args[0] == MachinesBenchmark.ChildArgument)
{
    return await MachinesBenchmark.RunChildAsync(args);
}

// Every benchmark, or those named on the command line (dotnet run -- team paid).
var benchmarks = new (string Name, Func<Task<IEnumerable<(string, string)>>> Run)[]
{
    ("overhead", OverheadBenchmark.RunAsync),
    ("bulk", BulkGetBenchmark.RunAsync),
    ("wait", WaitBenchmark.RunAsync),
    ("wait-documented", DocumentedWaitBenchmark.RunAsync),
    ("team", TeamProcessesBenchmark.RunAsync),
    ("paid", PaidFaultsBenchmark.RunAsync),
    ("machines", MachinesBenchmark.RunAsync),
    ("machines-parallel", MachinesBenchmark.RunParallelAsync),
};
var unknown = args.Except(benchmarks.Select(b => b.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark {string.Join(", ", unknown)}; choose from {string.Join(", ", benchmarks.Select(b => b.Name))}.");
    return 2;
}

// Each figure is one "name=value" line so runs can be compared; details go to stderr.
var results = new List<(string Name, string Value)>();
foreach (var benchmark in benchmarks.Where(b => args.Length == 0 || args.Contains(b.Name)))
{
    results.AddRange(await benchmark.Run());
}

foreach (var (name, value) in results)
{
    Console.WriteLine($"{name}={value}");
}

return 0;
