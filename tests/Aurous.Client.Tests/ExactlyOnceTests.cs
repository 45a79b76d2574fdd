namespace Aurous.Client.Tests;

/// <summary>Issue 3, "exactly once": lost responses, 500s and 429s never turn one paid call into two charges.</summary>
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
        var scaled = new AurousRateLimits { CharactersSynthesize = new AurousBucketLimit(1000, 60000) };
        // Roughly 3 in 10 requests meet a fault, so a few calls need long runs of attempts; the bound is generous for that.
        using var client = emulator.Client(o =>
        {
            o.RateLimits = scaled;
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
