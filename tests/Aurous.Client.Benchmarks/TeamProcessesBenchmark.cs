using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// team_processes_*: 6 separate processes (this program started again with <see cref="ChildArgument"/>) each make 60
/// gets of one character for one team, 4 at a time, all starting at one instant, against the documented characters_get
/// bucket, unscaled (240 burst, 120 per minute), on both sides. They share the bucket only through the state folder.
/// The theoretical minimum is the refill time for what the burst cannot cover: (360 - 240) / 2 per second = 60 s.
/// </summary>
internal static class TeamProcessesBenchmark
{
    public const string ChildArgument = "--team-process-child";

    private const int Processes = 6;
    private const int GetsPerProcess = 60;
    private const int Concurrency = 4;
    private const int Burst = 240;
    private const int PerMinute = 120;

    public static async Task<IEnumerable<(string, string)>> RunAsync()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { SynthesisSeconds = 0, CharactersGet = new(Burst, PerMinute) });
        var stateDirectory = Path.Combine(Path.GetTempPath(), "aurous-bench-" + Guid.NewGuid().ToString("n"));
        try
        {
            string id;
            using (var client = new AurousClient(new AurousClientOptions { ApiKey = EmulatorDefaults.TeamAKey, BaseUri = server.BaseUri, RateLimits = new AurousRateLimits { SharedStateDirectory = stateDirectory } }))
            {
                id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Team" })).Id;
            }

            // Time for the processes to start and load before the common instant they begin.
            var start = DateTimeOffset.UtcNow.AddSeconds(8);
            var children = Enumerable.Range(0, Processes).Select(_ => StartChild(server.BaseUri, id, stateDirectory, start)).ToList();
            var reports = await Task.WhenAll(children.Select(ReadReportAsync));

            var ended = reports.Max(r => r.EndedAt);
            var elapsed = (ended - start).TotalSeconds;
            var minimum = (Processes * GetsPerProcess - Burst) / (PerMinute / 60.0);
            var errors = reports.Sum(r => r.Errors);
            var server429s = reports.Sum(r => r.Server429s);
            var requests = Processes * GetsPerProcess + server429s;
            Figures.Note($"team processes: {Processes} x {GetsPerProcess} gets in {elapsed:0.0} s (minimum {minimum:0} s), {server429s} 429s from the server, {errors} errors; per process: {string.Join(", ", reports.Select(r => $"{r.Gets} gets/{r.Server429s} 429s/{(r.EndedAt - start).TotalSeconds:0.0} s"))}");
            return new[]
            {
                ("team_processes_errors", errors.ToString(CultureInfo.InvariantCulture)),
                ("team_processes_server_429s", server429s.ToString(CultureInfo.InvariantCulture)),
                ("team_processes_server_429_share", Figures.Format(server429s / (double)requests)),
                ("team_processes_time_ratio", Figures.Format(elapsed / minimum)),
            };
        }
        finally
        {
            if (Directory.Exists(stateDirectory))
            {
                Directory.Delete(stateDirectory, recursive: true);
            }
        }
    }

    /// <summary>One process's share: waits for the common instant, then makes its gets and reports one line.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (baseUri, id, stateDirectory, start) = (new Uri(args[1]), args[2], args[3], DateTimeOffset.Parse(args[4], CultureInfo.InvariantCulture));
        var log = new ConcurrentQueue<AurousLogEvent>();
        using var client = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = baseUri,
            RateLimits = new AurousRateLimits { CharactersGet = new AurousBucketLimit(Burst, PerMinute), SharedStateDirectory = stateDirectory },
            Log = log.Enqueue,
            LogBodies = false,
        });
        var wait = start - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var gets = 0;
        var errors = 0;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= GetsPerProcess)
            {
                try
                {
                    await client.GetCharacterAsync(id);
                    Interlocked.Increment(ref gets);
                }
                catch (AurousApiException e)
                {
                    Interlocked.Increment(ref errors);
                    Console.Error.WriteLine(e.Message);
                }
            }
        }));

        var server429s = log.Count(e => e.Message.Contains("-> 429", StringComparison.Ordinal));
        Console.WriteLine(FormattableString.Invariant($"{gets} {errors} {server429s} {DateTimeOffset.UtcNow:o}"));
        return 0;
    }

    private static Process StartChild(Uri baseUri, string id, string stateDirectory, DateTimeOffset start)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        var entry = typeof(TeamProcessesBenchmark).Assembly.Location;

        // Run as "dotnet <dll>" when this process is the dotnet host, as the apphost otherwise.
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            info.ArgumentList.Add(entry);
        }

        foreach (var argument in new[] { ChildArgument, baseUri.ToString(), id, stateDirectory, start.ToString("o", CultureInfo.InvariantCulture) })
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
            if (child.ExitCode != 0 || fields.Length != 4)
            {
                throw new InvalidOperationException($"A load process failed (exit code {child.ExitCode}): {output}");
            }

            return new Report(
                int.Parse(fields[0], CultureInfo.InvariantCulture),
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(fields[3], CultureInfo.InvariantCulture));
        }
    }

    private sealed record Report(int Gets, int Errors, int Server429s, DateTimeOffset EndedAt);
}
