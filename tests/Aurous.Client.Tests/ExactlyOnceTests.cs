namespace Aurous.Client.Tests;

/// <summary>
/// Issue 3, "exactly once": lost responses, 500s and 429s never turn one paid call into two charges. Issue 10: a paid
/// call that fails anyway names its key, and that key finishes it without a second charge.
/// </summary>
public class ExactlyOnceTests
{
    [Fact]
    public async Task Two_hundred_paid_calls_through_dropped_responses_500s_and_429s_charge_exactly_two_hundred_times()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.CharactersSynthesize = new(1000, 60000);
            o.CharactersGet = new(1000, 60000);
        });
        // Roughly 3 in 10 requests meet a fault, so a few calls need long runs of attempts; the bound is generous for that.
        using var client = emulator.Client(o =>
        {
            o.RateLimits.CharactersSynthesize = new AurousBucketLimit(1000, 60000);
            o.Retry.MaxAttempts = 20;
        });
        await emulator.FaultAsync("*", "drop_after_commit", rate: 0.15);
        await emulator.FaultAsync("*", "error_500", rate: 0.15);
        await emulator.FaultAsync("*", "rate_limit", rate: 0.02, retryAfterSeconds: 1);

        // 100 creates, then on each new character a resynthesize or a regenerate: 200 paid calls over three routes.
        var creates = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Throttled(() => client.CreateCharacterAsync(new CharacterCreate { Name = $"Exactly {i}" }))));
        var followUps = await Task.WhenAll(creates.Select((c, i) => Throttled(() => i % 2 == 0
            ? client.ResynthesizeCharacterAsync(c.Id)
            : client.RegenerateRefAsync(c.Id, new RegenerateRefRequest { Pose = CharacterPose.Front }))));
        await emulator.ClearFaultsAsync();

        var ledger = await emulator.LedgerAsync();
        Assert.Equal(200, ledger.Charges.Count);
        Assert.Equal(1000 - (100 * 4) - (50 * 4) - (50 * 1), ledger.Credits);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"Exactly {i}"), creates.Select(c => c.Name));
        Assert.Equal(creates.Select(c => c.Id), followUps.Select(c => c.Id));
        var byKey = ledger.Charges.ToDictionary(c => c.IdempotencyKey!);
        foreach (var (result, route) in creates.Select(c => (c, "create")).Concat(followUps.Select((c, i) => (c, i % 2 == 0 ? "resynthesize" : "regenerate"))))
        {
            var charge = byKey[result.LastResponse!.IdempotencyKey!];
            Assert.Equal((route, result.Id), (charge.Route, charge.CharacterId));
        }

        // The faults really fired: some calls needed retries, and a dropped response came back as a replay.
        var all = creates.Concat(followUps).ToList();
        Assert.Contains(all, c => c.LastResponse!.Replayed);
        Assert.True(all.Sum(c => c.LastResponse!.Attempts) > 230, $"only {all.Sum(c => c.LastResponse!.Attempts)} attempts");
    }

    [Fact]
    public async Task A_paid_call_whose_response_was_lost_keeps_trying_past_the_attempt_limit_and_finishes_as_a_replay()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.Retry.MaxAttempts = 5);
        await emulator.FaultAsync("create", "drop_after_commit", count: 1);
        await emulator.FaultAsync("create", "error_500", count: 4);

        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Ambiguous" });

        Assert.Equal(6, created.LastResponse!.Attempts);
        Assert.True(created.LastResponse.Replayed);
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith("Retrying POST /v1/characters") && l.Contains("(attempt 6, same Idempotency-Key)"));
        var charge = Assert.Single((await emulator.LedgerAsync()).Charges);
        Assert.Equal(created.LastResponse.IdempotencyKey, charge.IdempotencyKey);
    }

    [Fact]
    public async Task A_paid_call_that_may_have_been_charged_fails_with_its_key_and_that_key_finishes_it_without_a_second_charge()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.Retry.MaxElapsed = TimeSpan.FromMilliseconds(300));
        await emulator.FaultAsync("create", "drop_after_commit", count: 1);
        await emulator.FaultAsync("create", "error_500", rate: 1);

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.CreateCharacterAsync(new CharacterCreate { Name = "Ambiguous" }));

        Assert.Equal((AurousErrors.ServerError, 500), (error.ErrorId, error.StatusCode));
        Assert.True(error.OutcomeUnknown);
        var charge = Assert.Single((await emulator.LedgerAsync()).Charges);
        Assert.Equal(charge.IdempotencyKey, error.IdempotencyKey);
        Assert.EndsWith($"It may have been charged; its idempotency key is '{error.IdempotencyKey}', and a repeat with that key cannot charge twice.", error.Message);

        await emulator.ClearFaultsAsync();
        var finished = await client.CreateCharacterAsync(new CharacterCreate { Name = "Ambiguous", IdempotencyKey = error.IdempotencyKey });

        Assert.True(finished.LastResponse!.Replayed);
        Assert.Equal(charge.CharacterId, finished.Id);
        Assert.Single((await emulator.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task A_dropped_response_followed_by_429s_still_counts_as_possibly_charged()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.Retry.MaxElapsed = TimeSpan.FromMilliseconds(500));
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Limited" });
        await emulator.FaultAsync("resynthesize", "drop_after_commit", count: 1);
        await emulator.FaultAsync("resynthesize", "rate_limit", count: 1, retryAfterSeconds: 5);

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.ResynthesizeCharacterAsync(created.Id, new ResynthesizeRequest { IdempotencyKey = "nightly-Limited" }));

        Assert.Equal((AurousErrors.RateLimitExceeded, "nightly-Limited", true), (error.ErrorId, error.IdempotencyKey, error.OutcomeUnknown));
        Assert.Equal(2, (await emulator.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task A_refused_paid_call_names_its_key_and_says_nothing_was_charged()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await emulator.SetCreditsAsync(3);

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.CreateCharacterAsync(new CharacterCreate { Name = "Broke", IdempotencyKey = "import-row-7" }));

        Assert.Equal((AurousErrors.InsufficientCredits, "import-row-7", false), (error.ErrorId, error.IdempotencyKey, error.OutcomeUnknown));
        Assert.EndsWith("This call charged nothing (idempotency key 'import-row-7').", error.Message);
        Assert.Empty((await emulator.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task A_free_call_carries_no_key()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.Retry.MaxAttempts = 2);
        await emulator.FaultAsync("get", "error_500", count: 2);

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_00000000000000000000000000"));

        Assert.Null(error.IdempotencyKey);
        Assert.Contains("after 2 attempts", error.Message);
        Assert.DoesNotContain("idempotency", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static readonly SemaphoreSlim Gate = new(8);

    private static async Task<Character> Throttled(Func<Task<Character>> call)
    {
        await Gate.WaitAsync();
        try
        {
            return await call();
        }
        finally
        {
            Gate.Release();
        }
    }
}
