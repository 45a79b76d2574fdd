using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// paid_*: issue 10's run B. 64 creates, 8 at a time, with the default retry policy, while the emulator drops 40% of
/// create responses after committing them, answers 500 to 30% of the rest and 429 to 20% of what remains. Every call
/// must either succeed or fail with its key; the failed ones are then run again with their keys (faults still on)
/// until each has an answer, and the ledger must hold exactly one charge per call. characters_synthesize is scaled
/// 100x on both sides so the bucket, which is not what is measured here, does not stretch the run to minutes.
/// </summary>
internal static class PaidFaultsBenchmark
{
    private const int Calls = 64;
    private const int Concurrency = 8;
    private const int MaxRounds = 10;

    /// <summary>
    /// The default policy, then one with a 5 s budget: an outage longer than the budget, so that some calls do fail
    /// and the way back (the key in the error) is what is measured.
    /// </summary>
    public static async Task<IEnumerable<(string, string)>> RunAsync() =>
        (await MeasureAsync("paid", new AurousRetryPolicy()))
            .Concat(await MeasureAsync("paid_short_budget", new AurousRetryPolicy { MaxElapsed = TimeSpan.FromSeconds(5) }));

    private static async Task<IEnumerable<(string, string)>> MeasureAsync(string prefix, AurousRetryPolicy retry)
    {
        var synthesize = new AurousBucketLimit(1200, 600);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            SynthesisSeconds = 0,
            RandomSeed = 10,
            CharactersSynthesize = new(synthesize.Burst, synthesize.PerMinute),
        });
        using var control = new HttpClient { BaseAddress = server.BaseUri };
        foreach (var (kind, rate) in new[] { ("drop_after_commit", 0.4), ("error_500", 0.3), ("rate_limit", 0.2) })
        {
            (await control.PostAsJsonAsync("_emulator/faults", new { route = "create", kind, rate })).EnsureSuccessStatusCode();
        }

        using var client = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = server.BaseUri,
            RateLimits = new AurousRateLimits { CharactersSynthesize = synthesize, SharedStateDirectory = null },
            Retry = retry,
            LogBodies = false,
        });

        var stopwatch = Stopwatch.StartNew();
        var outcomes = await RunAllAsync(Enumerable.Range(0, Calls).Select(i => ($"Paid {i}", (string?)null)).ToList(), client);
        var firstRunSeconds = stopwatch.Elapsed.TotalSeconds;
        var failedFirst = outcomes.Count(o => o.Error is not null);
        var failedWithoutKey = outcomes.Count(o => o.Error is not null && o.Error.IdempotencyKey is null);
        var attempts = outcomes.Where(o => o.Character is not null).Select(o => o.Character!.LastResponse!.Attempts).ToList();

        // Finish the failed calls as a user would: the same call, with the key its error named.
        var rounds = 0;
        var finished = outcomes.Where(o => o.Character is not null).ToDictionary(o => o.Name, o => o.Character!);
        var pending = outcomes.Where(o => o.Error is not null).ToList();
        while (pending.Count > 0 && rounds < MaxRounds)
        {
            rounds++;
            var again = await RunAllAsync(pending.Select(o => (o.Name, o.Error!.IdempotencyKey)).ToList(), client);
            foreach (var done in again.Where(o => o.Character is not null))
            {
                finished[done.Name] = done.Character!;
            }

            pending = again.Where(o => o.Error is not null).ToList();
        }

        using var ledger = JsonDocument.Parse(await control.GetStringAsync("_emulator/teams/team_a/ledger"));
        var charges = ledger.RootElement.GetProperty("charges").EnumerateArray()
            .Select(c => (Key: c.GetProperty("idempotency_key").GetString(), Id: c.GetProperty("character_id").GetString()))
            .ToList();
        var callsCharged = finished.Values.Count(c => charges.Count(charge => charge.Id == c.Id) == 1);

        // A charge that is not the one charge of a finished call paid for something the user never got (or got twice).
        var extraCharges = charges.Count - callsCharged;

        Figures.Note($"{prefix}: {Calls} creates under 40% drop / 30% 500 / 20% 429; first run {firstRunSeconds:0.0} s, {failedFirst} failed ({failedWithoutKey} without a key), attempts median {Figures.Median(attempts.Select(a => (double)a)):0} max {attempts.DefaultIfEmpty().Max()}; finished in {rounds} more rounds, {pending.Count} unfinished; {charges.Count} charges for {finished.Count} characters, {extraCharges} extra");
        return new[]
        {
            ($"{prefix}_calls", Calls.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_failed_first_run", failedFirst.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_failed_without_key", failedWithoutKey.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_unfinished_after_reruns", pending.Count.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_charges", charges.Count.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_calls_charged_exactly_once", callsCharged.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_extra_charges", extraCharges.ToString(CultureInfo.InvariantCulture)),
            ($"{prefix}_first_run_s", Figures.Format(Math.Round(firstRunSeconds, 1))),
        };
    }

    private static async Task<List<Outcome>> RunAllAsync(IReadOnlyList<(string Name, string? Key)> calls, AurousClient client)
    {
        using var gate = new SemaphoreSlim(Concurrency);
        return (await Task.WhenAll(calls.Select(async call =>
        {
            await gate.WaitAsync();
            try
            {
                return new Outcome(call.Name, await client.CreateCharacterAsync(new CharacterCreate { Name = call.Name, IdempotencyKey = call.Key }), null);
            }
            catch (AurousApiException e)
            {
                return new Outcome(call.Name, null, e);
            }
            finally
            {
                gate.Release();
            }
        }))).ToList();
    }

    private sealed record Outcome(string Name, Character? Character, AurousApiException? Error);
}
