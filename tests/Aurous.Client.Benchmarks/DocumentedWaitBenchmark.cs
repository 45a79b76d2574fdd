using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// wait_documented_*: 50 characters created at once and waited for together with the defaults, on the documented
/// characters_get budget (240 burst, 120 per minute) on both sides, unscaled. Each synthesis takes its own time, drawn
/// evenly from the documented 30 to 90 s (fixed seed) and ended through the control surface. Everything runs on the
/// emulator's clock, <see cref="Speed"/> times faster than real time (<see cref="AcceleratedClock"/>), so the figures
/// are in the API's seconds. Lag is from the server's settle time (updated_at) to the waiter yielding the character.
/// Only characters_synthesize, which just gets the characters made, is scaled.
/// </summary>
internal static class DocumentedWaitBenchmark
{
    private const int Characters = 50;
    private const double Speed = 10;

    public static async Task<IEnumerable<(string, string)>> RunAsync()
    {
        var synthesize = new AurousBucketLimit(100, 6000);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            SynthesisSeconds = 100_000,
            CharactersSynthesize = new(synthesize.Burst, synthesize.PerMinute),
        });
        await using var clock = new AcceleratedClock(server.Clock, Speed);
        using var control = new HttpClient { BaseAddress = server.BaseUri };
        var log = new ConcurrentQueue<AurousLogEvent>();
        using var client = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = server.BaseUri,
            RateLimits = new AurousRateLimits { CharactersSynthesize = synthesize, SharedStateDirectory = null },
            TimeProvider = clock,
            Log = log.Enqueue,
            LogBodies = false,
        });

        var created = await Task.WhenAll(Enumerable.Range(0, Characters).Select(i => client.CreateCharacterAsync(new CharacterCreate { Name = $"Documented {i}" })));
        var random = new Random(30);
        var schedule = created
            .Select(c => (c.Id, At: c.UpdatedAt + TimeSpan.FromSeconds(30 + (60 * random.NextDouble()))))
            .OrderBy(s => s.At)
            .ToList();
        using var stop = new CancellationTokenSource();
        var finisher = FinishOnScheduleAsync(control, clock, schedule, stop.Token);
        var getsBefore = Gets(log);
        var server429sBefore = Server429s(log);

        var lags = new List<double>();
        await foreach (var result in client.WaitForCharactersAsync(created.Select(c => c.Id), new CharacterWaitOptions { Timeout = TimeSpan.FromMinutes(5) }))
        {
            if (result.Outcome == CharacterWaitOutcome.Settled)
            {
                lags.Add((clock.GetUtcNow() - result.Character!.UpdatedAt).TotalSeconds);
            }
        }

        stop.Cancel();
        await finisher;
        var getsPerCharacter = (Gets(log) - getsBefore) / (double)Characters;
        var median = Figures.Median(lags);
        var p95 = Percentile(lags, 0.95);
        var server429s = Server429s(log) - server429sBefore;
        Figures.Note($"wait at the documented budget: {lags.Count}/{Characters} settled over 30-90 s, {getsPerCharacter:0.00} gets per character, lag median {median:0.0} s, p95 {p95:0.0} s, max {lags.DefaultIfEmpty().Max():0.0} s, {server429s} 429s (emulator clock at {Speed}x)");
        return new[]
        {
            ("wait_documented_settled", lags.Count.ToString(CultureInfo.InvariantCulture)),
            ("wait_documented_gets_per_character", Figures.Format(getsPerCharacter)),
            ("wait_documented_lag_median_s", Figures.Format(Math.Round(median, 1))),
            ("wait_documented_lag_p95_s", Figures.Format(Math.Round(p95, 1))),
            ("wait_documented_server_429s", server429s.ToString(CultureInfo.InvariantCulture)),
        };
    }

    private static async Task FinishOnScheduleAsync(HttpClient control, TimeProvider clock, IReadOnlyList<(string Id, DateTimeOffset At)> schedule, CancellationToken cancellationToken)
    {
        foreach (var (id, at) in schedule)
        {
            while (clock.GetUtcNow() < at)
            {
                try
                {
                    await Task.Delay(1, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            (await control.PostAsJsonAsync($"_emulator/characters/{id}/finish", new { outcome = "reviewing" }, CancellationToken.None)).EnsureSuccessStatusCode();
        }
    }

    private static double Percentile(IReadOnlyCollection<double> values, double share)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];
    }

    private static int Gets(IEnumerable<AurousLogEvent> log) => log.Count(e => e.Message.StartsWith("GET ", StringComparison.Ordinal));

    private static int Server429s(IEnumerable<AurousLogEvent> log) => log.Count(e => e.Message.Contains("-> 429", StringComparison.Ordinal));
}
