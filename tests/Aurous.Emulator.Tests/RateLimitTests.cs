using System.Net;

namespace Aurous.Emulator.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task The_12th_synthesize_call_of_a_burst_succeeds_and_the_13th_is_429_with_Retry_After()
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync()).Id; // call 1: create, same bucket
        await h.FinishAsync(id, "reviewing");
        for (var call = 2; call <= 11; call++)
        {
            (await h.RegenerateAsync(id, "front")).AssertStatus(HttpStatusCode.OK);
            await h.FinishAsync(id, "reviewing");
        }

        (await h.ResynthesizeAsync(id)).AssertStatus(HttpStatusCode.OK); // call 12
        await h.FinishAsync(id, "reviewing");
        var limited = (await h.ResynthesizeAsync(id)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");

        Assert.True(int.TryParse(limited.Header("Retry-After"), out var retryAfter), limited.Header("Retry-After"));
        Assert.Equal(10, retryAfter); // 6 per minute: one token every 10 s
        Assert.Equal("reviewing", (await h.GetAsync(id)).State);
        Assert.Equal(12, (await h.LedgerAsync()).Charges.Count);

        await h.AdvanceAsync(retryAfter - 1);
        (await h.RegenerateAsync(id, "side")).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        await h.AdvanceAsync(1);
        (await h.RegenerateAsync(id, "side")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Buckets_are_per_team()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersSynthesize = new BucketShape(2, 6));
        await h.CreateAsync();
        await h.CreateAsync();
        (await h.CreateAsync()).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        (await h.CreateAsync(apiKey: Harness.TeamB)).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Patch_save_and_delete_share_the_characters_post_bucket()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersPost = new BucketShape(3, 30));
        var id = await h.CreateReviewingAsync();
        (await h.PatchAsync(id, """{"name":"one"}""")).AssertStatus(HttpStatusCode.OK);
        (await h.SaveAsync(id)).AssertStatus(HttpStatusCode.OK);
        (await h.PatchAsync(id, """{"name":"three"}""")).AssertStatus(HttpStatusCode.OK);
        var limited = (await h.DeleteAsync(id)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal("2", limited.Header("Retry-After"));
        Assert.Equal("three", (await h.GetAsync(id)).Json.GetProperty("name").GetString());
        Assert.Equal("ready", (await h.GetAsync(id)).State);
    }

    [Fact]
    public async Task Gets_have_their_own_bucket_and_refill_at_the_sustained_rate()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersGet = new BucketShape(2, 120));
        var id = await h.CreateReviewingAsync();
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("1", (await h.GetAsync(id)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded").Header("Retry-After"));
        (await h.SaveAsync(id)).AssertStatus(HttpStatusCode.OK);

        await h.AdvanceAsync(1); // 120/min = 2 tokens per second
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        (await h.GetAsync(id)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
    }

    [Fact]
    public async Task A_refill_never_exceeds_the_burst()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersSynthesize = new BucketShape(2, 60));
        await h.AdvanceAsync(3600);
        await h.CreateAsync();
        await h.CreateAsync();
        (await h.CreateAsync()).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
    }

    [Fact]
    public async Task A_rate_limited_paid_call_charges_nothing()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersSynthesize = new BucketShape(1, 1));
        (await h.CreateAsync(key: "a")).AssertStatus(HttpStatusCode.Created);
        var limited = (await h.CreateAsync(key: "b")).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal("60", limited.Header("Retry-After"));
        Assert.Single((await h.LedgerAsync()).Charges);
    }
}
