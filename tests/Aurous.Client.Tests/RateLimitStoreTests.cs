using System.Diagnostics;
using Aurous.Client.Http;
using Aurous.Emulator;
using StackExchange.Redis;

namespace Aurous.Client.Tests;

/// <summary>
/// Machines that share a Redis store share the team's buckets: against a real Redis-protocol server (Garnet, see
/// <see cref="TestGarnet"/>), the script's arithmetic, the budget kept by two clients that share no state folder,
/// and a store that goes down, freezes or comes back while calls go on.
/// </summary>
public class RateLimitStoreTests
{
    private static readonly AurousBucketLimit Small = new(12, 600);
    private static readonly AurousBucketLimit Smaller = new(4, 600);

    // Only a store a test stops should be found slow, however busy the machine that runs the tests.
    static RateLimitStoreTests() => RedisStoreConnection.Patience = TimeSpan.FromSeconds(5);

    [GarnetFact]
    public async Task The_script_does_the_arithmetic_of_TokenBucket_on_the_same_sequence()
    {
        await using var garnet = await TestGarnet.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        var database = redis.GetDatabase();
        RedisKey[] key = { "aurous:test:arithmetic" };

        // 10 tokens a second, so the milliseconds between steps refill measurably; a shape change clamps the state.
        var steps = new List<(BucketOperation Operation, AurousBucketLimit Limit, TimeSpan? RetryAfter, int PauseMs)>();
        steps.AddRange(Enumerable.Repeat((BucketOperation.Take, Small, (TimeSpan?)null, 0), 9));
        steps.AddRange(new (BucketOperation, AurousBucketLimit, TimeSpan?, int)[]
        {
            (BucketOperation.Take, Small, null, 30),
            (BucketOperation.GiveBack, Small, null, 0),
            (BucketOperation.Throttled, Small, null, 0),
            (BucketOperation.Take, Small, null, 0),
            (BucketOperation.Throttled, Small, TimeSpan.FromSeconds(0.05), 10),
            (BucketOperation.Take, Small, null, 0),
            (BucketOperation.Throttled, Small, TimeSpan.FromSeconds(5), 50),
            (BucketOperation.Take, Small, null, 0),
            (BucketOperation.GiveBack, Small, null, 400),
            (BucketOperation.Take, Smaller, null, 0),
            (BucketOperation.Take, Small, null, 20),
            (BucketOperation.Take, Small, null, 0),
        });

        var local = default(BucketState);
        foreach (var (operation, limit, retryAfter, pauseMs) in steps)
        {
            if (pauseMs > 0)
            {
                await Task.Delay(pauseMs);
            }

            var change = new BucketChange(operation, limit, DateTimeOffset.UtcNow, retryAfter);
            var answer = (RedisResult[])(await database.ScriptEvaluateAsync(RedisBucketScript.Source, key, RedisBucketScript.Arguments(change).Select(a => (RedisValue)a).ToArray()))!;
            var remote = RedisBucketScript.Result((string)answer[0]!, (string)answer[1]!, (string)answer[2]!);

            // The same change, at the instant Redis applied it.
            var expected = TokenBucket.Apply(ref local, new BucketChange(operation, limit, new DateTimeOffset(remote.TakenAt, TimeSpan.Zero), retryAfter));

            Assert.Equal(local.UtcTicks, remote.State.UtcTicks);
            Assert.Equal(local.Tokens, remote.State.Tokens, precision: 9);
            Assert.Equal(expected.Wait.TotalSeconds, remote.Wait.TotalSeconds, precision: 6);
        }

        Assert.True(local.Tokens < 0, "the sequence should have made a caller wait");
        var expiry = await database.KeyTimeToLiveAsync(key[0]);
        Assert.InRange(expiry!.Value, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(60.7));
    }

    [GarnetFact]
    public async Task Two_clients_that_share_no_state_folder_keep_to_one_budget_through_the_store()
    {
        await using var garnet = await TestGarnet.StartAsync();
        await using var emulator = await TestEmulator.StartAsync(o => o.CharactersGet = SharedBucketTests.ServerShape);
        var id = await SharedBucketTests.CreateAsync(emulator);
        var here = emulator.Client(o =>
        {
            o.RateLimits.CharactersGet = SharedBucketTests.ClientShape;
            o.RateLimits.Store = garnet.Configuration;
        });
        var there = new IsolatedClient(emulator, SharedBucketTests.ClientShape, Path.Combine(emulator.BucketStateDirectory, "another-machine"), garnet.Configuration);

        var stopwatch = Stopwatch.StartNew();
        var errors = await Task.WhenAll(SharedBucketTests.GetManyAsync(id => here.GetCharacterAsync(id), id), SharedBucketTests.GetManyAsync(there.GetAsync, id));
        var elapsed = stopwatch.Elapsed;

        Assert.Equal(new[] { 0, 0 }, errors);
        Assert.Empty(emulator.Lines(AurousLogLevel.Warning));
        Assert.DoesNotContain(there.Lines, l => l.Contains("cannot be used"));
        var server429s = emulator.Lines(AurousLogLevel.Verbose).Count(l => l.Contains("-> 429")) + there.Lines.Count(l => l.Contains("-> 429"));
        Assert.True(server429s <= 2, $"{server429s} 429s");
        var minimum = TimeSpan.FromSeconds((2 * SharedBucketTests.GetsPerClient - SharedBucketTests.ServerShape.Burst) / (SharedBucketTests.ServerShape.PerMinute / 60.0));
        Assert.True(elapsed >= minimum * 0.9, $"{2 * SharedBucketTests.GetsPerClient} gets took {elapsed.TotalSeconds:0.00} s, less than the budget allows ({minimum.TotalSeconds:0.00} s)");
        Assert.True(await KeyExistsAsync(garnet, RateLimiterRegistry.StoreKey(RateLimiterRegistry.Scope(emulator.Server.BaseUri, EmulatorDefaults.TeamAKey), AurousRateLimits.CharactersGetBucket)));
    }

    [GarnetFact]
    public async Task A_store_that_goes_down_mid_run_costs_one_warning_and_no_call_and_is_used_again_a_minute_later()
    {
        var password = "hunter2-" + Guid.NewGuid().ToString("n");
        await using var garnet = await TestGarnet.StartAsync(password);
        await using var emulator = await TestEmulator.StartAsync(o => o.ScaleRateLimits(100));
        var clock = new TestClock();
        using var client = emulator.Client(o =>
        {
            o.RateLimits = AurousRateLimits.Scaled(100);
            o.RateLimits.SharedStateDirectory = emulator.BucketStateDirectory;
            o.RateLimits.Store = garnet.Configuration;
            o.TimeProvider = clock;
        });
        var id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Stored" })).Id;
        var storeKey = RateLimiterRegistry.StoreKey(RateLimiterRegistry.Scope(emulator.Server.BaseUri, EmulatorDefaults.TeamAKey), AurousRateLimits.CharactersGetBucket);
        Assert.StartsWith($"aurous:ratelimit:{RateLimiterRegistry.KeyHash(EmulatorDefaults.TeamAKey)}:", storeKey);
        Assert.EndsWith(":characters_get", storeKey);

        await client.GetCharacterAsync(id);
        Assert.True(await KeyExistsAsync(garnet, storeKey));
        Assert.DoesNotContain(await KeysAsync(garnet), k => k.Contains(EmulatorDefaults.TeamAKey, StringComparison.Ordinal));

        garnet.Kill();
        for (var i = 0; i < 10; i++)
        {
            await client.GetCharacterAsync(id);
        }

        var warning = Assert.Single(emulator.Lines(AurousLogLevel.Warning));
        Assert.StartsWith($"The rate-limit store 127.0.0.1:{garnet.Port},password=*** cannot be used (", warning);
        Assert.EndsWith("tries the store again in a minute.", warning);

        // Back, but not asked again within the minute: this machine's buckets serve on.
        await garnet.StartAgainAsync();
        await client.GetCharacterAsync(id);
        Assert.False(await KeyExistsAsync(garnet, storeKey));

        // A minute on, the next call finds it (the connection may take a moment to come back: each try is another minute).
        for (var tries = 0; tries < 60 && !emulator.Lines(AurousLogLevel.Verbose).Any(l => l.Contains("answers again")); tries++)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            await client.GetCharacterAsync(id);
            await Task.Delay(500);
        }

        Assert.Single(emulator.Lines(AurousLogLevel.Verbose), l => l == $"The rate-limit store 127.0.0.1:{garnet.Port},password=*** answers again: this process shares the team's buckets through it once more.");
        Assert.True(await KeyExistsAsync(garnet, storeKey));
        Assert.Single(emulator.Lines(AurousLogLevel.Warning));
        Assert.All(emulator.Lines(), l => Assert.DoesNotContain(password, l));
    }

    [GarnetFact(NeedsSignals = true)]
    public async Task A_store_that_stops_answering_is_set_aside_and_the_calls_go_on()
    {
        await using var garnet = await TestGarnet.StartAsync();
        await using var emulator = await TestEmulator.StartAsync(o => o.ScaleRateLimits(100));
        using var client = emulator.Client(o =>
        {
            o.RateLimits = AurousRateLimits.Scaled(100);
            o.RateLimits.SharedStateDirectory = emulator.BucketStateDirectory;
            o.RateLimits.Store = garnet.Configuration;
        });
        var id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Frozen" })).Id;

        garnet.Signal("STOP");
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await client.GetCharacterAsync(id);
            }
        }
        finally
        {
            garnet.Signal("CONT");
        }

        var warning = Assert.Single(emulator.Lines(AurousLogLevel.Warning));
        Assert.Matches($"^The rate-limit store 127\\.0\\.0\\.1:{garnet.Port} cannot be used \\((TimeoutException|RedisTimeoutException): ", warning);
    }

    [Fact]
    public void The_configuration_is_shown_with_its_password_masked_and_a_bad_one_is_refused_without_it()
    {
        var options = new AurousClientOptions { ApiKey = EmulatorDefaults.TeamAKey };
        options.RateLimits.Store = "cache.example.com:6380,password=s3cret-Value,ssl=true";

        Assert.Contains("RateLimitStore=cache.example.com:6380,password=***,ssl=true", options.ToString());
        Assert.DoesNotContain("s3cret", options.ToString());
        Assert.Equal("a:1, Password =***", AurousRateLimits.MaskStore("a:1, Password =x"));

        options.RateLimits.Store = "cache.example.com:6380,password=s3cret-Value,ssl=s3cret-Value";
        var error = Assert.Throws<AurousConfigurationException>(options.Validate);
        Assert.Equal(AurousErrors.InvalidConfiguration, error.ErrorId);
        Assert.StartsWith("The rate-limit store cache.example.com:6380,password=***,ssl=*** is not a StackExchange.Redis configuration", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    private static async Task<bool> KeyExistsAsync(TestGarnet garnet, string key)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        return await redis.GetDatabase().KeyExistsAsync(key);
    }

    private static async Task<List<string>> KeysAsync(TestGarnet garnet)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(garnet.Configuration);
        return redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString()).ToList();
    }
}
