using System.Diagnostics;
using System.Net;

namespace Aurous.Emulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Error_500_hits_the_next_N_requests_before_doing_anything()
    {
        await using var h = await Harness.StartAsync();
        await h.AddFaultAsync(new { route = "create", kind = "error_500", count = 2 });

        (await h.CreateAsync()).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        (await h.CreateAsync()).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        (await h.CreateAsync()).AssertStatus(HttpStatusCode.Created);
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Faults_apply_only_to_their_route_unless_the_route_is_a_star()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        await h.AddFaultAsync(new { route = "save", kind = "error_500", count = 1 });
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        (await h.SaveAsync(id)).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        Assert.Equal("reviewing", (await h.GetAsync(id)).State);

        await h.AddFaultAsync(new { route = "*", kind = "error_500", count = 2 });
        (await h.GetAsync(id)).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        (await h.PatchAsync(id, """{"name":"x"}""")).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rate_limit_fault_answers_429_with_the_given_Retry_After()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        await h.AddFaultAsync(new { route = "get", kind = "rate_limit", count = 1, retry_after_seconds = 7 });
        var limited = (await h.GetAsync(id)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal("7", limited.Header("Retry-After"));
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delay_fault_holds_the_response()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        await h.AddFaultAsync(new { route = "get", kind = "delay", count = 1, delay_ms = 400 });
        var watch = Stopwatch.StartNew();
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.True(watch.ElapsedMilliseconds >= 350, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Drop_after_commit_without_a_key_commits_the_work_and_loses_the_response()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.AddFaultAsync(new { route = "regenerate", kind = "drop_after_commit", count = 1 });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => h.RegenerateAsync(id, "front"));
        Assert.Equal("synthesizing", (await h.GetAsync(id)).State);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Rate_faults_hit_a_share_of_requests_and_clearing_removes_them()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersGet = new BucketShape(1000, 1000));
        var id = await h.CreateReviewingAsync();
        await h.AddFaultAsync(new { route = "get", kind = "error_500", rate = 0.5 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await h.GetAsync(id)).Status);
        }

        var failures = statuses.Count(s => s == HttpStatusCode.InternalServerError);
        Assert.InRange(failures, 10, 50);
        Assert.Equal(60 - failures, statuses.Count(s => s == HttpStatusCode.OK));

        var cleared = await h.ControlAsync(HttpMethod.Delete, "_emulator/faults");
        Assert.Equal(HttpStatusCode.NoContent, cleared.Status);
        for (var i = 0; i < 10; i++)
        {
            (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Rate_faults_with_a_seed_repeat_exactly()
    {
        async Task<string> RunAsync()
        {
            await using var h = await Harness.StartAsync(o => o.RandomSeed = 42);
            await h.AddFaultAsync(new { route = "get", kind = "error_500", rate = 0.3 });
            var pattern = new System.Text.StringBuilder();
            for (var i = 0; i < 30; i++)
            {
                pattern.Append((await h.GetAsync("char_x")).Status == HttpStatusCode.InternalServerError ? 'X' : '.');
            }

            return pattern.ToString();
        }

        Assert.Equal(await RunAsync(), await RunAsync());
    }
}
