using Aurous.Client.Http;

namespace Aurous.Client.Tests;

/// <summary>
/// A machine that shares nothing with the others on its key learns its share from 429s its bucket did not expect:
/// the arithmetic on fixed instants, and the state file every process of the machine learns through.
/// </summary>
public class LearnedRateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly AurousBucketLimit Get = new(240, 120);

    [Fact]
    public void Alone_with_no_429_the_rate_stays_the_documented_one()
    {
        var state = default(BucketState);

        for (var i = 0; i < 1000; i++)
        {
            TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0.AddSeconds(i * 0.25)));
        }

        var result = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0.AddMinutes(5)));
        Assert.Equal(1, result.Share);
        Assert.Equal(0, state.Learned.Share);
    }

    [Fact]
    public void A_429_while_the_bucket_held_tokens_sets_the_share_to_what_this_machine_drew_of_the_burst()
    {
        // Three machines emptied the server's 240 together; this one drew 80 and its bucket still says 159.
        var state = default(BucketState);
        long takenAt = 0;
        for (var i = 0; i < 80; i++)
        {
            takenAt = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0)).TakenAt;
        }

        var result = TokenBucket.Apply(ref state, Throttled(T0, takenAt, TimeSpan.FromSeconds(1)));

        Assert.True(result.Lowered);
        var share = TokenBucket.ShareCushion * 79 / (79 + 159.0);
        Assert.Equal(share, result.Share, precision: 9);

        // The next token is a whole refill at the new rate away, not the server's one second.
        var wait = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0)).Wait;
        Assert.Equal(1 / (2 * share), wait.TotalSeconds, precision: 6);
    }

    [Fact]
    public void A_429_with_the_bucket_already_empty_lowers_the_rate_by_the_adaptive_factor_down_to_the_floor()
    {
        var state = new BucketState { Tokens = -3, UtcTicks = T0.UtcTicks };

        var shares = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            var now = T0;
            var takenAt = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, now)).TakenAt;
            shares.Add(TokenBucket.Apply(ref state, Throttled(now, takenAt, null)).Share);
        }

        Assert.Equal(0.7, shares[0], precision: 9);
        Assert.Equal(0.49, shares[1], precision: 9);
        Assert.Equal(TokenBucket.ShareFloor, shares[^1]);
    }

    [Fact]
    public void One_estimate_never_takes_more_than_three_quarters_of_the_rate_at_once()
    {
        // A machine that starts after the others emptied the server finds its own bucket nearly full.
        var state = default(BucketState);
        var takenAt = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0)).TakenAt;

        var result = TokenBucket.Apply(ref state, Throttled(T0, takenAt, TimeSpan.FromSeconds(1)));

        Assert.Equal(TokenBucket.LargestDrop, result.Share, precision: 9);
    }

    [Fact]
    public void A_429_for_a_token_taken_before_the_last_lowering_teaches_nothing_more()
    {
        var state = new BucketState { Tokens = -3, UtcTicks = T0.UtcTicks };
        var inFlight = Enumerable.Range(0, 4).Select(_ => TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0)).TakenAt).ToList();

        var first = TokenBucket.Apply(ref state, Throttled(T0.AddMilliseconds(5), inFlight[0], null));
        var others = inFlight.Skip(1).Select(t => TokenBucket.Apply(ref state, Throttled(T0.AddMilliseconds(6), t, null))).ToList();

        Assert.True(first.Lowered);
        Assert.All(others, r => Assert.False(r.Lowered));
        Assert.Equal(0.7, TokenBucket.Share(state.Learned, T0.AddMilliseconds(5)), precision: 9);
    }

    [Fact]
    public void Without_a_429_the_rate_climbs_back_by_a_tenth_a_minute_to_the_documented_one()
    {
        var state = new BucketState { Tokens = -3, UtcTicks = T0.UtcTicks };
        var takenAt = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0)).TakenAt;
        TokenBucket.Apply(ref state, Throttled(T0, takenAt, null));

        Assert.Equal(0.7, TokenBucket.Share(state.Learned, T0.AddSeconds(1)), precision: 2);
        Assert.Equal(0.8, TokenBucket.Share(state.Learned, T0.AddMinutes(1)), precision: 9);
        Assert.Equal(0.95, TokenBucket.Share(state.Learned, T0.AddMinutes(2.5)), precision: 9);
        Assert.Equal(1, TokenBucket.Share(state.Learned, T0.AddMinutes(10)));
    }

    [Fact]
    public void With_learning_off_a_429_empties_the_bucket_and_leaves_the_rate()
    {
        var state = default(BucketState);
        var takenAt = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Take, Get, T0)).TakenAt;

        var result = TokenBucket.Apply(ref state, new BucketChange(BucketOperation.Throttled, Get, T0, TimeSpan.FromSeconds(1), takenAt, learn: false));

        Assert.False(result.Lowered);
        Assert.Equal(1, result.Share);
        Assert.Equal(TimeSpan.FromSeconds(0.5), TokenBucket.Take(ref state, Get, T0));
    }

    [Fact]
    public void Every_process_of_the_machine_learns_through_the_state_file_and_a_first_version_file_has_learned_nothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), "aurous-bucket-" + Guid.NewGuid().ToString("n"));
        try
        {
            var scope = RateLimiterRegistry.Scope(new Uri("https://api.aurous-labs.com/"), "al_live_learning_key_0001");
            var one = new BucketStateFile(directory, scope, AurousRateLimits.CharactersGetBucket);
            var other = new BucketStateFile(directory, scope, AurousRateLimits.CharactersGetBucket);
            one.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out var taken);
            one.Update((ref BucketState s) => TokenBucket.Apply(ref s, Throttled(T0, taken.UtcTicks, null)).Wait, out _);

            other.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out var seen);
            Assert.Equal(TokenBucket.LargestDrop, TokenBucket.Share(seen.Learned, T0), precision: 9);

            // A first-version process writes the first 24 bytes only: what was learned stays.
            var bytes = File.ReadAllBytes(one.Path);
            BitConverter.GetBytes(100.0).CopyTo(bytes, 8);
            File.WriteAllBytes(one.Path, bytes);
            other.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out seen);
            Assert.Equal(99, seen.Tokens, precision: 9);
            Assert.Equal(TokenBucket.LargestDrop, TokenBucket.Share(seen.Learned, T0), precision: 9);

            // A file the first version wrote (24 bytes) is read, and has learned nothing.
            File.WriteAllBytes(one.Path, bytes.Take(24).ToArray());
            other.Update((ref BucketState s) => TokenBucket.Take(ref s, Get, T0), out seen);
            Assert.Equal(99, seen.Tokens, precision: 9);
            Assert.Equal(1, TokenBucket.Share(seen.Learned, T0));
            Assert.Equal(48, new FileInfo(one.Path).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static BucketChange Throttled(DateTimeOffset now, long takenAt, TimeSpan? retryAfter) =>
        new(BucketOperation.Throttled, Get, now, retryAfter, takenAt, learn: true);
}
