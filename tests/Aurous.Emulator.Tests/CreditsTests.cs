using System.Net;

namespace Aurous.Emulator.Tests;

public sealed class CreditsTests
{
    [Fact]
    public async Task Short_of_credits_create_is_402_and_creates_nothing()
    {
        await using var h = await Harness.StartAsync();
        await h.SetCreditsAsync(3);
        (await h.CreateAsync(key: "poor")).AssertError(HttpStatusCode.PaymentRequired, "insufficient_credits");
        var ledger = await h.LedgerAsync();
        Assert.Equal(3, ledger.Credits);
        Assert.Empty(ledger.Charges);
    }

    [Fact]
    public async Task Short_of_credits_resynthesize_is_402_and_the_character_is_untouched()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var before = await h.SnapshotAsync(id);
        await h.SetCreditsAsync(3);

        (await h.ResynthesizeAsync(id)).AssertError(HttpStatusCode.PaymentRequired, "insufficient_credits");
        Assert.Equal(before, await h.SnapshotAsync(id));
        Assert.Equal(3, (await h.LedgerAsync()).Credits);

        (await h.RegenerateAsync(id, "front")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, (await h.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task Regenerate_with_zero_credits_is_402()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.SetCreditsAsync(0);
        (await h.RegenerateAsync(id, "front")).AssertError(HttpStatusCode.PaymentRequired, "insufficient_credits");
        Assert.Equal("ready", (await h.GetAsync(id)).State);
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Exactly_enough_credits_is_enough()
    {
        await using var h = await Harness.StartAsync();
        await h.SetCreditsAsync(4);
        (await h.CreateAsync()).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(0, (await h.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task The_ledger_records_every_paid_call_with_route_character_key_generations_and_time()
    {
        await using var h = await Harness.StartAsync();
        var created = await h.CreateAsync(key: "c");
        await h.FinishAsync(created.Id, "reviewing");
        await h.RegenerateAsync(created.Id, "back", key: "g");
        await h.FinishAsync(created.Id, "reviewing");
        await h.ResynthesizeAsync(created.Id);
        await h.PatchAsync(created.Id, """{"name":"free"}""");
        await h.SaveAsync(created.Id);

        var ledger = await h.LedgerAsync();
        Assert.Equal(
            [("create", "c", 4), ("regenerate", "g", 1), ("resynthesize", (string?)null, 4)],
            ledger.Charges.Select(c => (c.Route, c.IdempotencyKey, c.Generations)));
        Assert.All(ledger.Charges, c => Assert.Equal(created.Id, c.CharacterId));
        Assert.All(ledger.Charges, c => Assert.True(DateTimeOffset.TryParse(c.At, out _)));
        Assert.Equal(991, ledger.Credits);
        Assert.Equal(1000, (await h.LedgerAsync(EmulatorDefaults.TeamB)).Credits);
    }

    [Fact]
    public async Task Initial_credits_are_configurable()
    {
        await using var h = await Harness.StartAsync(o => o.InitialCredits = 5);
        Assert.Equal(5, (await h.LedgerAsync()).Credits);
        Assert.Equal(5, (await h.LedgerAsync(EmulatorDefaults.TeamB)).Credits);
    }

    [Fact]
    public async Task Concurrent_paid_calls_never_overspend_and_every_charge_has_a_character()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersSynthesize = new BucketShape(100, 100));
        await h.SetCreditsAsync(41);

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => h.CreateAsync($"Racer {i}", key: $"race-{i}")));

        Assert.Equal(10, responses.Count(r => r.Status == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.Created), r => r.AssertError(HttpStatusCode.PaymentRequired, "insufficient_credits"));
        var ledger = await h.LedgerAsync();
        Assert.Equal(1, ledger.Credits);
        Assert.Equal(
            responses.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Id).Order(),
            ledger.Charges.Select(c => c.CharacterId).Order());
    }
}
