using System.Diagnostics;

namespace Aurous.Client.Tests;

/// <summary>
/// The waiter against the emulator. The characters_get bucket is scaled 100x on both sides: at the documented
/// 120/min the budget would stretch polling of a few characters to seconds (see PollScheduleTests).
/// </summary>
public class WaiterTests
{
    private static readonly CharacterWaitOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(20) };

    private static Task<TestEmulator> StartAsync(double synthesisSeconds) => TestEmulator.StartAsync(o =>
    {
        o.SynthesisSeconds = synthesisSeconds;
        o.CharactersGet = new(24000, 12000);
    });

    private static AurousClient Client(TestEmulator emulator) =>
        emulator.Client(o => o.RateLimits.CharactersGet = new AurousBucketLimit(24000, 12000));

    [Fact]
    public async Task Yields_each_character_as_it_settles_with_running_counts()
    {
        await using var emulator = await StartAsync(600);
        using var client = Client(emulator);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await client.CreateCharacterAsync(new CharacterCreate { Name = $"Wait {i}" })).Id);
        }

        var results = new List<(CharacterWaitResult Result, TimeSpan At)>();
        var finishedAt = new Dictionary<string, TimeSpan>();
        var stopwatch = Stopwatch.StartNew();
        var finisher = Task.Run(async () =>
        {
            foreach (var (id, outcome) in new[] { (ids[2], "reviewing"), (ids[0], "failed"), (ids[3], "reviewing"), (ids[1], "reviewing") })
            {
                await Task.Delay(300);
                await emulator.FinishAsync(id, outcome, outcome == "failed" ? "GPU on fire" : null);
                lock (finishedAt)
                {
                    finishedAt[id] = stopwatch.Elapsed;
                }
            }
        });
        await foreach (var result in client.WaitForCharactersAsync(ids.Append(ids[0]), Fast))
        {
            results.Add((Result: result, At: stopwatch.Elapsed));
        }

        await finisher;
        Assert.Equal(new[] { ids[2], ids[0], ids[3], ids[1] }, results.Select(r => r.Result.Id));
        // Lag from the control call returning (the server changed state a little before) to the yield: polls are 50 ms apart.
        Assert.All(results, r => Assert.True(r.At - finishedAt[r.Result.Id] < TimeSpan.FromMilliseconds(400), $"{r.Result.Id} yielded {(r.At - finishedAt[r.Result.Id]).TotalMilliseconds:0} ms after it settled"));
        Assert.Equal(CharacterWaitOutcome.Failed, results[1].Result.Outcome);
        Assert.Equal("GPU on fire", results[1].Result.Character!.ErrorMessage);
        Assert.Equal(4, results.Count);
        Assert.Equal(new[] { 3, 2, 1, 0 }, results.Select(r => r.Result.Pending));
        Assert.Equal(new[] { 1, 1, 2, 3 }, results.Select(r => r.Result.Settled));
        Assert.Equal(new[] { 0, 1, 1, 1 }, results.Select(r => r.Result.FailedCount));
        Assert.All(results.Where(r => r.Result.Outcome == CharacterWaitOutcome.Settled), r => Assert.Equal("Reviewing", r.Result.Character!.Status));
    }

    [Fact]
    public async Task A_vanished_character_yields_NotFound_and_the_deadline_yields_TimedOut_for_the_rest()
    {
        await using var emulator = await StartAsync(600);
        using var client = Client(emulator);
        var stuck = await client.CreateCharacterAsync(new CharacterCreate { Name = "Stuck" });
        var doomed = await client.CreateCharacterAsync(new CharacterCreate { Name = "Doomed" });
        var deleter = Task.Run(async () =>
        {
            await Task.Delay(200);
            await client.DeleteCharacterAsync(doomed.Id);
        });

        var results = new List<CharacterWaitResult>();
        await foreach (var result in client.WaitForCharactersAsync(new[] { stuck.Id, doomed.Id, "char_00000000000000000000000000" }, new CharacterWaitOptions { PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(3) }))
        {
            results.Add(result);
        }

        await deleter;
        Assert.Equal(
            new[] { ("char_00000000000000000000000000", CharacterWaitOutcome.NotFound), (doomed.Id, CharacterWaitOutcome.NotFound), (stuck.Id, CharacterWaitOutcome.TimedOut) },
            results.Select(r => (r.Id, r.Outcome)));
        Assert.Equal(AurousErrors.CharacterNotFound, results[0].Error!.ErrorId);
        Assert.Equal("Synthesizing", results[2].Character!.Status);
        Assert.Equal(3, results[2].FailedCount);
    }

    [Fact]
    public async Task Already_settled_characters_pass_straight_through_with_one_get_each()
    {
        await using var emulator = await StartAsync(0);
        using var client = Client(emulator);
        var ids = new[]
        {
            (await client.CreateCharacterAsync(new CharacterCreate { Name = "Done 1" })).Id,
            (await client.CreateCharacterAsync(new CharacterCreate { Name = "Done 2" })).Id,
        };

        var results = new List<CharacterWaitResult>();
        await foreach (var result in client.WaitForCharactersAsync(ids, new CharacterWaitOptions()))
        {
            results.Add(result);
        }

        Assert.Equal(ids.OrderBy(i => i), results.Select(r => r.Id).OrderBy(i => i));
        Assert.Equal(2, emulator.Lines(AurousLogLevel.Verbose).Count(l => l.StartsWith("GET ")));
    }

    [Fact]
    public async Task Bad_ids_are_refused_before_any_poll()
    {
        await using var emulator = await StartAsync(0);
        using var client = Client(emulator);

        var error = Assert.Throws<AurousValidationException>(() => client.WaitForCharactersAsync(new[] { "char_ok", "not an id" }));

        Assert.Equal(AurousErrors.InvalidCharacterId, error.ErrorId);
        Assert.Empty(emulator.Log);
    }
}
