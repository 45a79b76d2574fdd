using System.Collections.Concurrent;
using System.Diagnostics;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// bulk_get_time_ratio and bulk_get_429s: 500 gets pushed as fast as a pipeline would, against the documented
/// characters_get shape (240 burst) with the refill scaled 20x on both sides (2400/min) to keep the run short.
/// The theoretical minimum is the refill time for what the burst cannot cover: (500 - 240) / 40 per second.
/// </summary>
internal static class BulkGetBenchmark
{
    private const int Gets = 500;
    private const int Burst = 240;
    private const int PerMinute = 120 * 20;
    private const int Concurrency = 16;

    public static async Task<IEnumerable<(string, string)>> RunAsync()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { SynthesisSeconds = 0, CharactersGet = new(Burst, PerMinute) });
        var log = new ConcurrentQueue<AurousLogEvent>();
        var options = new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = server.BaseUri,
            RateLimits = new AurousRateLimits { CharactersGet = new AurousBucketLimit(Burst, PerMinute) },
            Log = log.Enqueue,
            LogBodies = false,
        };
        using var client = new AurousClient(options);
        var id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Bulk" })).Id;

        var callerSaw429 = 0;
        var next = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= Gets)
            {
                try
                {
                    await client.GetCharacterAsync(id);
                }
                catch (AurousApiException e) when (e.StatusCode == 429)
                {
                    Interlocked.Increment(ref callerSaw429);
                }
            }
        }));
        var elapsed = stopwatch.Elapsed.TotalSeconds;

        var minimum = (Gets - Burst) / (PerMinute / 60.0);
        var server429s = log.Count(e => e.Message.Contains("-> 429"));
        Figures.Note($"bulk: {Gets} gets in {elapsed:0.00} s, theoretical minimum {minimum:0.00} s, 429s from the server {server429s}, seen by the caller {callerSaw429}");
        return new[]
        {
            ("bulk_get_time_ratio", Figures.Format(elapsed / minimum)),
            ("bulk_get_429s", callerSaw429.ToString()),
            ("bulk_get_server_429s", server429s.ToString()),
        };
    }
}
