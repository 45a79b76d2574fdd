using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aurous.Client.Tests;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// machines_*: 8 separate processes, each with a state folder of its own (separate machines, as CI agents or servers
/// on one key are), start at one instant and spend one team's budget, one call at a time each, as a cmdlet makes
/// them (the pwsh jobs the issue measured); machines_parallel_* makes 4 at a time each, as a script with
/// ForEach-Object -Parallel -ThrottleLimit 4 does:
/// <list type="bullet">
/// <item>gets: 8 x 45 gets of one character against the documented characters_get bucket (240 burst, 120 per minute),
/// unscaled on both sides; the theoretical minimum is the refill for what the burst cannot cover, (360 - 240) / 2 = 60 s;</item>
/// <item>creates: 8 x 30 paid creates against characters_synthesize at 10 times the documented bucket on both sides
/// (the emulator's --rate-limit-multiplier 10, the client's 10: 120 burst, 60 per minute); minimum (240 - 120) / 1 = 120 s.</item>
/// </list>
/// Each runs three ways: today (no learning, no store: only the server's 429s hold the machines back), learning (each
/// machine lowers its rate on 429s it did not expect), and store (a Redis-protocol server, Garnet, shared by all).
/// Figures per scenario and way: errors, the server's 429s as a share of all requests, time against the minimum.
/// </summary>
internal static class MachinesBenchmark
{
    public const string ChildArgument = "--machine-child";

    private const int Machines = 8;

    private static readonly Scenario[] Scenarios =
    {
        new("gets", 45, 1, 240, 120),
        new("creates", 30, 10, 120, 60),
    };

    private static readonly string[] Modes = { "today", "learning", "store" };

    public static Task<IEnumerable<(string, string)>> RunAsync() => RunAsync("machines", concurrency: 1);

    public static Task<IEnumerable<(string, string)>> RunParallelAsync() => RunAsync("machines_parallel", concurrency: 4);

    private static async Task<IEnumerable<(string, string)>> RunAsync(string name, int concurrency)
    {
        if (TestGarnet.Missing is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        await using var garnet = await TestGarnet.StartAsync();
        var figures = new List<(string, string)>();
        foreach (var scenario in Scenarios)
        {
            foreach (var mode in Modes)
            {
                figures.AddRange(await RunAsync(name, concurrency, scenario, mode, garnet.Configuration));
            }
        }

        return figures;
    }

    private static async Task<IEnumerable<(string, string)>> RunAsync(string name, int concurrency, Scenario scenario, string mode, string store)
    {
        var options = new EmulatorOptions { SynthesisSeconds = 0, InitialCredits = 1_000_000 };
        options.ScaleRateLimits(scenario.Multiplier);
        await using var server = await EmulatorServer.StartAsync(options);
        var root = Path.Combine(Path.GetTempPath(), "aurous-machines-" + Guid.NewGuid().ToString("n"));
        try
        {
            var target = "create";
            if (scenario.Name == "gets")
            {
                using var client = new AurousClient(new AurousClientOptions { ApiKey = EmulatorDefaults.TeamAKey, BaseUri = server.BaseUri, RateLimits = new AurousRateLimits { SharedStateDirectory = Path.Combine(root, "setup") } });
                target = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Machines" })).Id;
            }

            // Time for the processes to start and load before the common instant they begin.
            var start = DateTimeOffset.UtcNow.AddSeconds(10);
            var children = Enumerable.Range(0, Machines)
                .Select(i => StartChild(server.BaseUri, target, Path.Combine(root, "machine" + i), start, scenario, concurrency, mode == "learning" || mode == "store", mode == "store" ? store : "-"))
                .ToList();
            var reports = await Task.WhenAll(children.Select(ReadReportAsync));

            var elapsed = (reports.Max(r => r.EndedAt) - start).TotalSeconds;
            var minimum = (Machines * scenario.PerMachine - scenario.Burst) / (scenario.PerMinute / 60.0);
            var errors = reports.Sum(r => r.Errors);
            var server429s = reports.Sum(r => r.Server429s);
            var requests = reports.Sum(r => r.Calls) + server429s;
            var warnings = reports.Sum(r => r.Warnings);
            Figures.Note($"{name} {scenario.Name} {mode}: {Machines} x {scenario.PerMachine}, {concurrency} at a time, in {elapsed:0.0} s (minimum {minimum:0} s), {server429s} 429s of {requests} requests, {errors} errors, {warnings} warnings; per machine: {string.Join(", ", reports.Select(r => $"{r.Calls}/{r.Server429s}/{(r.EndedAt - start).TotalSeconds:0.0} s"))}");
            var prefix = $"{name}_{scenario.Name}_{mode}";
            return new[]
            {
                ($"{prefix}_errors", errors.ToString(CultureInfo.InvariantCulture)),
                ($"{prefix}_server_429_share", Figures.Format(server429s / (double)requests)),
                ($"{prefix}_time_ratio", Figures.Format(elapsed / minimum)),
            };
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>One machine's share: waits for the common instant, then makes its calls and reports one line.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var baseUri = new Uri(args[1]);
        var target = args[2];
        var stateDirectory = args[3];
        var start = DateTimeOffset.Parse(args[4], CultureInfo.InvariantCulture);
        var calls = int.Parse(args[5], CultureInfo.InvariantCulture);
        var multiplier = double.Parse(args[6], CultureInfo.InvariantCulture);
        var limits = AurousRateLimits.Scaled(multiplier);
        limits.SharedStateDirectory = stateDirectory;
        limits.Adaptive = args[7] == "1";
        limits.Store = args[8] == "-" ? null : args[8];
        var concurrency = int.Parse(args[9], CultureInfo.InvariantCulture);

        var log = new ConcurrentQueue<AurousLogEvent>();
        using var client = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = baseUri,
            RateLimits = limits,
            Log = log.Enqueue,
            LogBodies = false,
        });
        var wait = start - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var done = 0;
        var errors = 0;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= calls)
            {
                try
                {
                    if (target == "create")
                    {
                        await client.CreateCharacterAsync(new CharacterCreate { Name = "Machine" });
                    }
                    else
                    {
                        await client.GetCharacterAsync(target);
                    }

                    Interlocked.Increment(ref done);
                }
                catch (AurousApiException e)
                {
                    Interlocked.Increment(ref errors);
                    Console.Error.WriteLine(e.Message);
                }
            }
        }));

        var ended = DateTimeOffset.UtcNow;
        var server429s = log.Count(e => e.Message.Contains("-> 429", StringComparison.Ordinal));
        var warnings = log.Count(e => e.Level == AurousLogLevel.Warning);
        foreach (var warning in log.Where(e => e.Level == AurousLogLevel.Warning))
        {
            Console.Error.WriteLine(warning.Message);
        }

        Console.WriteLine(FormattableString.Invariant($"{done} {errors} {server429s} {warnings} {ended:o}"));
        return 0;
    }

    private static Process StartChild(Uri baseUri, string target, string stateDirectory, DateTimeOffset start, Scenario scenario, int concurrency, bool adaptive, string store)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        var entry = typeof(MachinesBenchmark).Assembly.Location;

        // Run as "dotnet <dll>" when this process is the dotnet host, as the apphost otherwise.
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            info.ArgumentList.Add(entry);
        }

        foreach (var argument in new[]
        {
            ChildArgument, baseUri.ToString(), target, stateDirectory, start.ToString("o", CultureInfo.InvariantCulture),
            scenario.PerMachine.ToString(CultureInfo.InvariantCulture), scenario.Multiplier.ToString(CultureInfo.InvariantCulture), adaptive ? "1" : "0", store,
            concurrency.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    private static async Task<Report> ReadReportAsync(Process child)
    {
        using (child)
        {
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            var fields = output.Trim().Split(' ');
            if (child.ExitCode != 0 || fields.Length != 5)
            {
                throw new InvalidOperationException($"A machine's process failed (exit code {child.ExitCode}): {output}");
            }

            return new Report(
                int.Parse(fields[0], CultureInfo.InvariantCulture),
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(fields[4], CultureInfo.InvariantCulture));
        }
    }

    /// <param name="Multiplier">of the documented buckets, on the emulator and the client alike.</param>
    private sealed record Scenario(string Name, int PerMachine, double Multiplier, int Burst, int PerMinute);

    private sealed record Report(int Calls, int Errors, int Server429s, int Warnings, DateTimeOffset EndedAt);
}
