using Aurous.Client.Benchmarks;

// Each figure is one "name=value" line so runs can be compared; details go to stderr.
var results = new List<(string Name, string Value)>();
results.AddRange(await OverheadBenchmark.RunAsync());
results.AddRange(await BulkGetBenchmark.RunAsync());
results.AddRange(await WaitBenchmark.RunAsync());
foreach (var (name, value) in results)
{
    Console.WriteLine($"{name}={value}");
}
