using Aurous.Client.Http;

namespace Aurous.Client.Tests;

/// <summary>The bucket arithmetic, on fixed instants: no clock, no sleeps.</summary>
public class TokenBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly AurousBucketLimit Get = new(240, 120);

    [Fact]
    public void A_new_bucket_holds_one_token_less_than_the_burst_and_then_paces_at_the_documented_rate()
    {
        var state = default(BucketState);

        var waits = Enumerable.Range(0, 242).Select(_ => TokenBucket.Take(ref state, Get, T0)).ToList();

        Assert.All(waits.Take(239), w => Assert.Equal(TimeSpan.Zero, w));
        Assert.Equal(TimeSpan.FromSeconds(0.5), waits[239]);
        Assert.Equal(TimeSpan.FromSeconds(1.5), waits[241]);
    }

    [Fact]
    public void Waiting_callers_are_served_in_order_and_refill_is_continuous()
    {
        var state = default(BucketState);
        var synthesize = new AurousBucketLimit(12, 6);
        for (var i = 0; i < 11; i++)
        {
            TokenBucket.Take(ref state, synthesize, T0);
        }

        Assert.Equal(TimeSpan.FromSeconds(10), TokenBucket.Take(ref state, synthesize, T0));
        Assert.Equal(TimeSpan.FromSeconds(15), TokenBucket.Take(ref state, synthesize, T0.AddSeconds(5)));
        Assert.Equal(TimeSpan.Zero, TokenBucket.Take(ref state, synthesize, T0.AddSeconds(40)));
    }

    [Fact]
    public void A_cancelled_reservation_goes_back_and_a_429_empties_the_bucket()
    {
        var state = default(BucketState);
        TokenBucket.Take(ref state, Get, T0);

        TokenBucket.GiveBack(ref state, Get, T0);
        Assert.Equal(239, state.Tokens);

        TokenBucket.Empty(ref state, Get, T0, retryAfter: null);
        Assert.Equal(TimeSpan.FromSeconds(0.5), TokenBucket.Take(ref state, Get, T0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 5)]
    [InlineData(600, 10)]
    public void After_a_429_the_next_token_comes_when_Retry_After_says_but_never_later_than_one_refill(int retryAfterSeconds, int expectedWaitSeconds)
    {
        var state = default(BucketState);
        var synthesize = new AurousBucketLimit(12, 6);

        TokenBucket.Empty(ref state, synthesize, T0, TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.Equal(expectedWaitSeconds, TokenBucket.Take(ref state, synthesize, T0).TotalSeconds, precision: 6);
    }

    [Fact]
    public void A_clock_that_steps_back_refills_nothing_and_takes_nothing_away()
    {
        var state = default(BucketState);
        TokenBucket.Take(ref state, Get, T0);
        TokenBucket.Take(ref state, Get, T0.AddSeconds(-30));

        Assert.Equal(237, state.Tokens);
        Assert.Equal(T0.UtcTicks, state.UtcTicks);
    }

    [Fact]
    public void State_written_under_a_larger_shape_is_clamped_to_this_one()
    {
        var state = new BucketState { Tokens = 2399, UtcTicks = T0.UtcTicks };

        TokenBucket.Take(ref state, Get, T0);

        Assert.Equal(238, state.Tokens);
    }

    [Fact]
    public void The_state_file_is_named_and_filled_without_the_key_and_survives_a_reopen()
    {
        var directory = Path.Combine(Path.GetTempPath(), "aurous-bucket-" + Guid.NewGuid().ToString("n"));
        try
        {
            const string key = "al_live_secret_value_1234";
            var scope = RateLimiterRegistry.Scope(new Uri("https://api.aurous-labs.com/"), key);
            var file = new BucketStateFile(directory, scope, AurousRateLimits.CharactersGetBucket);
            for (var i = 0; i < 3; i++)
            {
                file.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out _);
            }

            var reopened = new BucketStateFile(directory, scope, AurousRateLimits.CharactersGetBucket);
            reopened.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out var state);

            Assert.Equal(235, state.Tokens);
            var written = Assert.Single(Directory.GetFiles(directory));
            Assert.Equal(48, new FileInfo(written).Length);
            Assert.Matches("^[0-9a-f]{32}\\.bucket$", Path.GetFileName(written));
            var bytes = File.ReadAllBytes(written);
            Assert.DoesNotContain("secret", System.Text.Encoding.Latin1.GetString(bytes));
            Assert.NotEqual(Path.GetFileName(written), BucketStateFile.FileName(RateLimiterRegistry.Scope(new Uri("https://api.aurous-labs.com/"), key + "5"), AurousRateLimits.CharactersGetBucket));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_truncated_or_foreign_state_file_reads_as_a_full_bucket()
    {
        var directory = Path.Combine(Path.GetTempPath(), "aurous-bucket-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        try
        {
            var file = new BucketStateFile(directory, "https://example|0000", AurousRateLimits.CharactersGetBucket);
            File.WriteAllText(file.Path, "not a bucket at all, but long enough");

            file.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out var state);

            Assert.Equal(238, state.Tokens);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
