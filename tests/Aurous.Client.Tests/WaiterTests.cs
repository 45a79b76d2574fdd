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

    [Fact]
    public async Task A_server_that_dies_mid_wait_is_named_in_a_warning_at_once_and_each_character_gets_its_own_error_after_the_unreachable_timeout()
    {
        var clock = new TestClock();
        var emulator = await StartAsync(600);
        var server = emulator.Server.BaseUri.GetLeftPart(UriPartial.Authority);
        using var creator = Client(emulator);
        var aurora = await creator.CreateCharacterAsync(new CharacterCreate { Name = "Aurora" });
        var borealis = await creator.CreateCharacterAsync(new CharacterCreate { Name = "Borealis" });
        using var client = Client(emulator, clock);
        var results = new List<CharacterWaitResult>();
        var waiting = Collect(client.WaitForCharactersAsync(new[] { aurora.Id, borealis.Id }), results);
        await Until(() => Polls(emulator) == 2);

        await emulator.DisposeAsync();
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        await Until(() => Warnings(emulator).Any());

        var warning = Assert.Single(Warnings(emulator));
        Assert.StartsWith($"Cannot reach {server} to check on 2 characters: ", warning);
        Assert.EndsWith("Still trying; after 30 s without an answer, each character still pending gets an error and the wait ends.", warning);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(1));
        Assert.Empty(results);

        await clock.AdvanceAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new[] { aurora.Id, borealis.Id }, results.Select(r => r.Id));
        Assert.All(results, r => Assert.Equal(CharacterWaitOutcome.Unreachable, r.Outcome));
        Assert.All(results, r => Assert.Equal((AurousErrors.ConnectionFailed, AurousErrorCategory.ConnectionError), (r.Error!.ErrorId, r.Error.Category)));
        Assert.StartsWith($"Character {aurora.Id} (Aurora): Stopped waiting: no answer from {server} for 30 s (last poll: ", results[0].Error!.Message);
        Assert.EndsWith("The character may still be synthesizing; when the server answers again, wait for it again.", results[0].Error!.Message);
        Assert.Equal(borealis.Id, results[1].Error!.CharacterId);
        Assert.Equal(new[] { 1, 0 }, results.Select(r => r.Pending));
        Assert.Single(Warnings(emulator));
    }

    [Fact]
    public async Task Polls_that_hang_end_the_wait_at_the_unreachable_timeout_even_while_a_poll_is_still_out()
    {
        var clock = new TestClock();
        await using var emulator = await StartAsync(600);
        using var creator = Client(emulator);
        var stuck = await creator.CreateCharacterAsync(new CharacterCreate { Name = "Stuck" });
        await emulator.FaultAsync("get", "delay", rate: 1, delayMs: 60_000);
        using var client = Client(emulator, clock);
        var results = new List<CharacterWaitResult>();

        var waiting = Collect(client.WaitForCharactersAsync(new[] { stuck.Id }, new CharacterWaitOptions { UnreachableTimeout = TimeSpan.FromSeconds(15) }), results);

        // The waiter's own wake-up and the poll's 10 s timeout.
        await Until(() => clock.ActiveTimers == 2);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
        await Until(() => Warnings(emulator).Any());
        Assert.Empty(results);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("No answer within 10 s", Assert.Single(Warnings(emulator)));
        var result = Assert.Single(results);
        Assert.Equal((CharacterWaitOutcome.Unreachable, AurousErrors.RequestTimedOut), (result.Outcome, result.Error!.ErrorId));
        Assert.Contains("for 15 s", result.Error.Message);
    }

    [Fact]
    public async Task Server_errors_warn_once_and_the_wait_goes_on_when_the_server_recovers()
    {
        var clock = new TestClock();
        await using var emulator = await StartAsync(600);
        using var creator = Client(emulator);
        var ids = new[] { (await creator.CreateCharacterAsync(new CharacterCreate { Name = "One" })).Id, (await creator.CreateCharacterAsync(new CharacterCreate { Name = "Two" })).Id };
        await emulator.FinishAsync(ids[0], "reviewing");
        await emulator.FinishAsync(ids[1], "reviewing");
        await emulator.FaultAsync("get", "error_500", count: 2);
        using var client = Client(emulator, clock);
        var results = new List<CharacterWaitResult>();

        var waiting = Collect(client.WaitForCharactersAsync(ids), results);
        await Until(() => Warnings(emulator).Any());
        await clock.AdvanceAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ids.Order(), results.Select(r => r.Id).Order());
        Assert.All(results, r => Assert.Equal(CharacterWaitOutcome.Settled, r.Outcome));
        Assert.StartsWith($"{emulator.Server.BaseUri.GetLeftPart(UriPartial.Authority)} answers the polls for 2 characters with an error: Injected fault", Assert.Single(Warnings(emulator)));
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.EndsWith("answers polls again.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_fails_every_other_poll_is_warned_about_once_per_kind_of_failure()
    {
        var clock = new TestClock();
        await using var emulator = await StartAsync(600);
        using var creator = Client(emulator);
        var id = (await creator.CreateCharacterAsync(new CharacterCreate { Name = "Flaky" })).Id;
        using var client = Client(emulator, clock);
        var results = new List<CharacterWaitResult>();

        var waiting = Collect(client.WaitForCharactersAsync(new[] { id }, new CharacterWaitOptions { PollInterval = TimeSpan.FromSeconds(1) }), results);
        await Until(() => Polls(emulator) == 1);
        foreach (var kind in new[] { "error_500", "error_500", "rate_limit", "error_500", "rate_limit" })
        {
            // One failed poll, then one answered: each failure a run of its own.
            await emulator.FaultAsync("get", kind, count: 1, retryAfterSeconds: kind == "rate_limit" ? 1 : null);
            await NextPollAsync(emulator, clock);
            await NextPollAsync(emulator, clock);
        }

        await emulator.FinishAsync(id, "reviewing");
        await clock.AdvanceAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CharacterWaitOutcome.Settled, Assert.Single(results).Outcome);
        var warnings = Warnings(emulator);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("answers the polls for 1 character with an error", warnings[0]);
        Assert.Contains("is rate-limiting the polls", warnings[1]);
        Assert.Equal(5, emulator.Lines(AurousLogLevel.Verbose).Count(l => l.EndsWith("answers polls again.", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0.5, null, null)]
    [InlineData(null, 604_801.0, null)]
    [InlineData(null, null, 0.001)]
    public async Task Times_outside_their_range_are_refused_before_any_poll(double? unreachableSeconds, double? timeoutSeconds, double? pollSeconds)
    {
        await using var emulator = await StartAsync(0);
        using var client = Client(emulator);
        var options = new CharacterWaitOptions
        {
            UnreachableTimeout = unreachableSeconds is { } u ? TimeSpan.FromSeconds(u) : null,
            Timeout = timeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
            PollInterval = pollSeconds is { } p ? TimeSpan.FromSeconds(p) : null,
        };

        var error = Assert.Throws<AurousValidationException>(() => client.WaitForCharactersAsync(new[] { "char_ok" }, options));

        Assert.Equal(AurousErrors.InvalidConfiguration, error.ErrorId);
        Assert.Matches(@"^(UnreachableTimeout|Timeout|PollInterval) must be from [0-9.]+ to [0-9]+ seconds", error.Message);
        Assert.Empty(emulator.Log);
    }

    private static AurousClient Client(TestEmulator emulator, TimeProvider clock) =>
        emulator.Client(o =>
        {
            o.RateLimits.CharactersGet = new AurousBucketLimit(24000, 12000);
            o.TimeProvider = clock;
        });

    private static int Polls(TestEmulator emulator) => emulator.Lines(AurousLogLevel.Verbose).Count(l => l.StartsWith("GET ", StringComparison.Ordinal));

    private static List<string> Warnings(TestEmulator emulator) => emulator.Lines(AurousLogLevel.Warning).ToList();

    private static Task Collect(IAsyncEnumerable<CharacterWaitResult> wait, List<CharacterWaitResult> into) => Task.Run(async () =>
    {
        await foreach (var result in wait)
        {
            lock (into)
            {
                into.Add(result);
            }
        }
    });

    /// <summary>Real-time work (loopback polls) between clock steps: waits for it, failing the test after 10 s.</summary>
    /// <summary>Moves the clock a second at a time until the waiter has polled once more.</summary>
    private static async Task NextPollAsync(TestEmulator emulator, TestClock clock)
    {
        var polled = Polls(emulator);
        for (var second = 0; second < 30 && Polls(emulator) == polled; second++)
        {
            await clock.AdvanceAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5));
        }

        await Until(() => Polls(emulator) > polled);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the condition did not come true within 10 s");
            await Task.Delay(10);
        }
    }
}
