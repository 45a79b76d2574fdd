using System.Net;

namespace Aurous.Emulator.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task Same_key_and_same_canonical_body_replays_with_the_header_and_no_new_charge()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();

        var first = (await h.ResynthesizeAsync(id, """{"force_all":true}""", key: "resyn-1")).AssertStatus(HttpStatusCode.OK);
        await h.FinishAsync(id, "reviewing");
        var replay = (await h.ResynthesizeAsync(id, "{ \"force_all\" :  true }\n", key: "resyn-1")).AssertStatus(HttpStatusCode.OK);

        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(first.Text, replay.Text);
        Assert.Equal("reviewing", (await h.GetAsync(id)).State);
        var ledger = await h.LedgerAsync();
        Assert.Equal(2, ledger.Charges.Count);
        Assert.Equal(992, ledger.Credits);
    }

    [Fact]
    public async Task Key_order_does_not_change_the_canonical_body()
    {
        await using var h = await Harness.StartAsync();
        var a = await h.SendAsync(HttpMethod.Post, "v1/characters", """{"name":"A","attributes":{"age":3,"gender":"f"}}""", idempotencyKey: "order");
        var b = await h.SendAsync(HttpMethod.Post, "v1/characters", """{"attributes":{"gender":"f","age":3},"name":"A"}""", idempotencyKey: "order");
        Assert.Equal(HttpStatusCode.Created, b.Status);
        Assert.True(b.Replayed);
        Assert.Equal(a.Id, b.Id);
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task An_absent_body_and_an_empty_object_are_the_same_request()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        (await h.ResynthesizeAsync(id, body: null, key: "empty")).AssertStatus(HttpStatusCode.OK);
        Assert.True((await h.ResynthesizeAsync(id, body: "{}", key: "empty")).Replayed);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Same_key_with_another_body_is_409_and_changes_nothing()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        (await h.RegenerateAsync(id, "front", key: "k")).AssertStatus(HttpStatusCode.OK);
        await h.FinishAsync(id, "reviewing");

        (await h.RegenerateAsync(id, "back", key: "k")).AssertError(HttpStatusCode.Conflict, "idempotency_key_in_use");
        Assert.Equal("reviewing", (await h.GetAsync(id)).State);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Same_key_on_another_route_or_character_is_409()
    {
        await using var h = await Harness.StartAsync();
        var one = await h.CreateReadyAsync();
        var two = await h.CreateReadyAsync();
        (await h.ResynthesizeAsync(one, key: "shared")).AssertStatus(HttpStatusCode.OK);

        (await h.RegenerateAsync(one, "front", key: "shared")).AssertError(HttpStatusCode.Conflict, "idempotency_key_in_use");
        (await h.ResynthesizeAsync(two, key: "shared")).AssertError(HttpStatusCode.Conflict, "idempotency_key_in_use");
        Assert.Equal("ready", (await h.GetAsync(two)).State);
        Assert.Equal(3, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Keys_are_per_team()
    {
        await using var h = await Harness.StartAsync();
        var a = (await h.CreateAsync(key: "team-key")).AssertStatus(HttpStatusCode.Created);
        var b = (await h.CreateAsync(key: "team-key", apiKey: Harness.TeamB)).AssertStatus(HttpStatusCode.Created);
        Assert.False(b.Replayed);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Single((await h.LedgerAsync(EmulatorDefaults.TeamB)).Charges);
    }

    [Fact]
    public async Task Without_a_key_every_call_is_processed_anew()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        (await h.RegenerateAsync(id, "front")).AssertStatus(HttpStatusCode.OK);
        await h.FinishAsync(id, "reviewing");
        var second = (await h.RegenerateAsync(id, "front")).AssertStatus(HttpStatusCode.OK);
        Assert.False(second.Replayed);
        Assert.Equal(3, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task The_replay_window_is_24_hours_on_the_emulator_clock()
    {
        await using var h = await Harness.StartAsync();
        var first = await h.CreateAsync(key: "day");
        await h.AdvanceAsync(TimeSpan.FromHours(24).TotalSeconds - 1);
        var within = await h.CreateAsync(key: "day");
        Assert.True(within.Replayed);
        Assert.Equal(first.Id, within.Id);

        await h.AdvanceAsync(2);
        var after = (await h.CreateAsync(key: "day")).AssertStatus(HttpStatusCode.Created);
        Assert.False(after.Replayed);
        Assert.NotEqual(first.Id, after.Id);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Empty_or_oversize_keys_are_400_and_charge_nothing(string? key)
    {
        await using var h = await Harness.StartAsync();
        key ??= new string('k', 257);
        var response = await h.CreateAsync(key: key);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("Idempotency-Key", response.ErrorParam);
        Assert.Empty((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task A_256_character_key_is_accepted()
    {
        await using var h = await Harness.StartAsync();
        var key = new string('k', 256);
        (await h.CreateAsync(key: key)).AssertStatus(HttpStatusCode.Created);
        Assert.True((await h.CreateAsync(key: key)).Replayed);
        Assert.Equal(key, Assert.Single((await h.LedgerAsync()).Charges).IdempotencyKey);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_execute_once_and_the_rest_replay()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        // Hold the first request inside its claim so the others certainly arrive while it is in flight.
        await h.AddFaultAsync(new { route = "resynthesize", kind = "delay", count = 1, delay_ms = 300 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.ResynthesizeAsync(id, key: "together")));

        Assert.All(responses, r => r.AssertStatus(HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.Replayed));
        Assert.Single(responses.Select(r => r.Text).Distinct());
        var charges = (await h.LedgerAsync()).Charges.Where(c => c.Route == "resynthesize").ToList();
        Assert.Equal("together", Assert.Single(charges).IdempotencyKey);
        Assert.Equal(992, (await h.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task A_concurrent_request_with_the_same_key_but_another_body_is_409_at_once()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.AddFaultAsync(new { route = "regenerate", kind = "delay", count = 1, delay_ms = 500 });

        var slow = h.RegenerateAsync(id, "front", key: "race");
        await Task.Delay(100);
        (await h.RegenerateAsync(id, "back", key: "race")).AssertError(HttpStatusCode.Conflict, "idempotency_key_in_use");
        (await slow).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task A_dropped_response_is_recovered_by_retrying_with_the_same_key()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.AddFaultAsync(new { route = "resynthesize", kind = "drop_after_commit", count = 1 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => h.ResynthesizeAsync(id, key: "lost"));
        Assert.Equal("synthesizing", (await h.GetAsync(id)).State);

        var retry = (await h.ResynthesizeAsync(id, key: "lost")).AssertStatus(HttpStatusCode.OK);
        Assert.True(retry.Replayed);
        Assert.Equal(id, retry.Id);
        var ledger = await h.LedgerAsync();
        Assert.Equal(2, ledger.Charges.Count);
        Assert.Equal(992, ledger.Credits);
    }

    [Fact]
    public async Task An_error_releases_the_key_so_a_retry_after_topping_up_is_processed()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.SetCreditsAsync(3);
        (await h.ResynthesizeAsync(id, key: "later")).AssertError(HttpStatusCode.PaymentRequired, "insufficient_credits");

        await h.SetCreditsAsync(10);
        var retry = (await h.ResynthesizeAsync(id, key: "later")).AssertStatus(HttpStatusCode.OK);
        Assert.False(retry.Replayed);
        Assert.Equal(6, (await h.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task A_500_fault_releases_the_key_so_the_retry_executes_once()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.AddFaultAsync(new { route = "regenerate", kind = "error_500", count = 1 });

        (await h.RegenerateAsync(id, "front", key: "flaky")).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        Assert.Single((await h.LedgerAsync()).Charges);
        (await h.RegenerateAsync(id, "front", key: "flaky")).AssertStatus(HttpStatusCode.OK);
        Assert.True((await h.RegenerateAsync(id, "front", key: "flaky")).Replayed);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Save_patch_and_delete_also_honour_keys()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        (await h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/save", idempotencyKey: "s")).AssertStatus(HttpStatusCode.OK);
        Assert.True((await h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/save", idempotencyKey: "s")).Replayed);
        (await h.SendAsync(HttpMethod.Delete, $"v1/characters/{id}", idempotencyKey: "d")).AssertStatus(HttpStatusCode.OK);
        var again = (await h.SendAsync(HttpMethod.Delete, $"v1/characters/{id}", idempotencyKey: "d")).AssertStatus(HttpStatusCode.OK);
        Assert.True(again.Replayed);
        (await h.DeleteAsync(id)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
    }

    [Fact]
    public async Task A_client_that_gives_up_while_its_request_is_delayed_releases_the_key()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.AddFaultAsync(new { route = "resynthesize", kind = "delay", count = 1, delay_ms = 5000 });

        using (var impatient = new HttpClient { BaseAddress = h.Server.BaseUri, Timeout = TimeSpan.FromMilliseconds(300) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/characters/{id}/resynthesize") { Content = new StringContent("{}") };
            request.Headers.Add("X-Api-Key", Harness.TeamA);
            request.Headers.Add("Idempotency-Key", "gave-up");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.SendAsync(request));
        }

        var retry = (await h.ResynthesizeAsync(id, key: "gave-up")).AssertStatus(HttpStatusCode.OK);
        Assert.False(retry.Replayed);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }
}
