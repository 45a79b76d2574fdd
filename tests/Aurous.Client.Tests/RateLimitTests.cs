using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>Issue 3: a burst over the synthesize bucket waits on the client instead of surfacing 429s.</summary>
public class RateLimitTests
{
    // The documented 12 burst / 6 per minute, refilled 100 times faster on both sides so the test takes a second.
    private static readonly BucketShape ServerShape = new(12, 600);

    [Fact]
    public async Task A_burst_of_13_resynthesize_calls_surfaces_no_429_because_the_client_bucket_waits()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.CharactersSynthesize = ServerShape);
        using var client = emulator.Client(o =>
        {
            o.RateLimits.CharactersSynthesize = new AurousBucketLimit(12, 600);
            o.Retry = AurousRetryPolicy.None;
        });
        var character = await client.CreateCharacterAsync(new CharacterCreate { Name = "Burst" });

        // Open the burst's 13 connections first (gets use another bucket). Opened during the burst, they held back the
        // first requests on a loaded machine until the paced ones caught up, and the server saw 13 arrive at once.
        await Task.WhenAll(Enumerable.Range(0, 13).Select(_ => client.GetCharacterAsync(character.Id)));

        var results = await Task.WhenAll(Enumerable.Range(0, 13).Select(_ => client.ResynthesizeCharacterAsync(character.Id)));

        Assert.All(results, r => Assert.Equal(1, r.LastResponse!.Attempts));
        Assert.DoesNotContain(emulator.Lines(AurousLogLevel.Verbose), l => l.Contains("-> 429"));
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.Contains("for bucket characters_synthesize]"));
        Assert.Equal(14, (await emulator.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task The_bucket_is_shared_by_every_client_of_the_process_for_the_same_team()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.CharactersSynthesize = new(3, 60));
        var shape = new AurousBucketLimit(3, 60);
        using var first = emulator.Client(o => o.RateLimits.CharactersSynthesize = shape);
        using var second = emulator.Client(o => o.RateLimits.CharactersSynthesize = shape);

        // Warm the connection and the code paths first: the three creates must fall within one 1 s refill period.
        await Assert.ThrowsAsync<AurousApiException>(() => second.GetCharacterAsync("char_00000000000000000000000000"));
        await first.CreateCharacterAsync(new CharacterCreate { Name = "First" });
        await first.CreateCharacterAsync(new CharacterCreate { Name = "First again" });
        var third = await second.CreateCharacterAsync(new CharacterCreate { Name = "Second" });

        Assert.Equal(1, third.LastResponse!.Attempts);
        Assert.Matches(@"^POST /v1/characters -> 201 .* \[waited [0-9.]+ m?s for bucket characters_synthesize\]$", emulator.Lines(AurousLogLevel.Verbose).Last());
        Assert.DoesNotContain(emulator.Lines(AurousLogLevel.Verbose), l => l.Contains("-> 429"));
    }

    [Fact]
    public async Task Without_the_client_bucket_the_same_burst_meets_a_429_that_maps_to_LimitsExceeded()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.CharactersSynthesize = ServerShape);
        using var client = emulator.Client(o =>
        {
            o.RateLimits = AurousRateLimits.Disabled;
            o.Retry = AurousRetryPolicy.None;
        });
        var character = await client.CreateCharacterAsync(new CharacterCreate { Name = "Burst" });

        // 20 rather than 13, so the server's refill during the burst cannot absorb the excess.
        var calls = Enumerable.Range(0, 20).Select(_ => client.ResynthesizeCharacterAsync(character.Id)).ToList();
        await Task.WhenAll(calls).ContinueWith(_ => { });

        var errors = calls.Where(c => c.IsFaulted).Select(c => Assert.IsType<AurousApiException>(c.Exception!.InnerException)).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, error =>
        {
            Assert.Equal((429, AurousErrors.RateLimitExceeded, AurousErrorCategory.LimitsExceeded), (error.StatusCode, error.ErrorId, error.Category));
            Assert.True(error.RetryAfter >= TimeSpan.FromSeconds(1));
        });
    }

    [Fact]
    public async Task A_429_is_retried_after_Retry_After_even_for_a_paid_call()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await emulator.FaultAsync("create", "rate_limit", count: 1, retryAfterSeconds: 1);
        var started = DateTime.UtcNow;

        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Patient" });

        Assert.Equal(2, created.LastResponse!.Attempts);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.95));
        Assert.Single((await emulator.LedgerAsync()).Charges);
    }
}
