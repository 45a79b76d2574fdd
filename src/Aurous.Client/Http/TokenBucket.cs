using System;

namespace Aurous.Client.Http;

/// <summary>
/// One bucket's state: tokens as of a UTC instant, the two numbers every store keeps (a file, Redis, memory), and
/// what this machine learned about its share when it keeps the state alone.
/// </summary>
internal struct BucketState
{
    public double Tokens;

    /// <summary>UTC ticks of <see cref="Tokens"/>; 0 for a bucket never used, which starts full.</summary>
    public long UtcTicks;

    public LearnedRate Learned;
}

/// <summary>
/// What a machine that shares nothing with the others on its key learns from their 429s: the part of the documented
/// rate it may use. Kept in the machine's state file, so all of its processes learn together; never kept in a store
/// every machine shares, which needs no guess.
/// </summary>
internal struct LearnedRate
{
    /// <summary>Tokens drawn since the bucket was last full, less those the server refused: this machine's part of what the server gave out meanwhile.</summary>
    public double Drawn;

    /// <summary>The part of the documented rate as of <see cref="UtcTicks"/>, when it was last lowered; 0 when it never was (all of it).</summary>
    public double Share;

    /// <summary>UTC ticks of the last lowering: the rate climbs back from there, and a 429 for a token taken before it is old news.</summary>
    public long UtcTicks;
}

/// <summary>What one caller does to a bucket, as every store applies it.</summary>
internal enum BucketOperation
{
    /// <summary>Take a token, by reservation: the result says how long to wait for it.</summary>
    Take,

    /// <summary>A reservation the caller gave up (cancelled while waiting) goes back to the others.</summary>
    GiveBack,

    /// <summary>The server answered 429: its bucket is empty, so ours is too.</summary>
    Throttled,
}

internal readonly struct BucketChange
{
    public BucketChange(BucketOperation operation, AurousBucketLimit limit, DateTimeOffset now, TimeSpan? retryAfter = null, long takenAt = 0, bool learn = false)
    {
        Operation = operation;
        Limit = limit;
        Now = now;
        RetryAfter = retryAfter;
        TakenAt = takenAt;
        Learn = learn;
    }

    public BucketOperation Operation { get; }
    public AurousBucketLimit Limit { get; }
    public DateTimeOffset Now { get; }

    /// <summary>The server's Retry-After, for <see cref="BucketOperation.Throttled"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For <see cref="BucketOperation.Throttled"/>: UTC ticks the refused request took its token, as the store's <see cref="BucketResult.TakenAt"/> said.</summary>
    public long TakenAt { get; }

    /// <summary>Whether a 429 lowers this machine's rate: for a state kept by this machine alone, unless learning is off.</summary>
    public bool Learn { get; }
}

internal readonly struct BucketResult
{
    public BucketResult(TimeSpan wait, in BucketState state, double share, bool lowered)
    {
        Wait = wait;
        State = state;
        Share = share;
        Lowered = lowered;
    }

    /// <summary>How long the caller waits before its request may go; zero when a token was there.</summary>
    public TimeSpan Wait { get; }

    /// <summary>The state the change left, on the store's clock.</summary>
    public BucketState State { get; }

    /// <summary>UTC ticks of the change on the store's clock: when a taken token was taken.</summary>
    public long TakenAt => State.UtcTicks;

    /// <summary>The part of the documented rate the bucket refills at now: 1 unless a 429 taught otherwise.</summary>
    public double Share { get; }

    /// <summary>This change lowered the learned rate.</summary>
    public bool Lowered { get; }
}

/// <summary>
/// The server's bucket, mirrored: refilled continuously, and taken by reservation. A caller that finds no token
/// still takes one (the count goes below zero) and is told how long to wait for it, so waiting callers are served
/// in order without a timer or a queue, and any number of processes can share the state by reading and writing it.
/// The arithmetic lives here only; a store every machine shares runs the same in a script, which
/// tests hold to this.
/// </summary>
internal static class TokenBucket
{
    /// <summary>
    /// Requests reach the server a little after they leave this bucket, and unevenly, so a sequence that fits the
    /// client's bucket can still arrive bunched up at the server's. Holding back what the bucket refills in half a
    /// second (one token at least) absorbs that much unevenness: one token of the documented characters_get, 240.
    /// </summary>
    private static readonly TimeSpan LatencyAllowance = TimeSpan.FromSeconds(0.5);

    /// <summary>However many machines share a key, this one keeps at least a twentieth of the documented rate.</summary>
    internal const double ShareFloor = 0.05;

    /// <summary>A 429 with no better estimate takes the rate down by this factor, as the AWS SDKs' adaptive mode does.</summary>
    internal const double ShareDecrease = 0.7;

    /// <summary>
    /// An estimate from one 429 never takes the rate below a quarter of what it was: a machine that started after the
    /// others had spent the burst draws little of it, and yet has all its work ahead, so its estimate runs low.
    /// </summary>
    internal const double LargestDrop = 0.25;

    /// <summary>What this machine takes of its estimated share: the rest is a cushion for the others' unevenness.</summary>
    internal const double ShareCushion = 0.9;

    /// <summary>
    /// Without a 429 the rate climbs back by a tenth of the documented rate a minute: from the floor to all of it in
    /// under ten minutes. Climbing by a fifth, eight machines at their share overran the server together three times
    /// as often (the machines benchmark).
    /// </summary>
    internal const double ShareClimbPerMinute = 0.1;

    public static double Capacity(AurousBucketLimit limit) =>
        Math.Max(1, limit.Burst - Math.Max(1, Math.Ceiling(PerSecond(limit) * LatencyAllowance.TotalSeconds)));

    public static double PerSecond(AurousBucketLimit limit) => limit.PerMinute / 60.0;

    public static BucketResult Apply(ref BucketState state, in BucketChange change)
    {
        var now = change.Now;
        switch (change.Operation)
        {
            case BucketOperation.Take:
                var wait = Take(ref state, change.Limit, now);
                return new BucketResult(wait, state, Share(state.Learned, now), lowered: false);
            case BucketOperation.GiveBack:
                GiveBack(ref state, change.Limit, now);
                return new BucketResult(TimeSpan.Zero, state, Share(state.Learned, now), lowered: false);
            default:
                var lowered = change.Learn && Learn(ref state, change.Limit, now, change.TakenAt);
                Empty(ref state, change.Limit, now, change.RetryAfter);
                return new BucketResult(TimeSpan.Zero, state, Share(state.Learned, now), lowered);
        }
    }

    /// <returns>how long the caller waits before its request may go; zero when a token was there.</returns>
    public static TimeSpan Take(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now)
    {
        Refill(ref state, limit, now);
        state.Tokens -= 1;
        state.Learned.Drawn += 1;
        return state.Tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-state.Tokens / RefillPerSecond(state, limit, now));
    }

    /// <summary>A reservation the caller gave up (cancelled while waiting) goes back to the others.</summary>
    public static void GiveBack(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now)
    {
        Refill(ref state, limit, now);
        state.Tokens = Math.Min(Capacity(limit), state.Tokens + 1);
        state.Learned.Drawn = Math.Max(0, state.Learned.Drawn - 1);
    }

    /// <summary>
    /// The server said 429: its bucket is empty whatever ours says, so ours is too, refilling its next token when the
    /// server's Retry-After says (when that comes sooner than a token's refill: it rounds up to whole seconds).
    /// </summary>
    public static void Empty(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now, TimeSpan? retryAfter)
    {
        Refill(ref state, limit, now);
        var untilNextToken = retryAfter is { } wait ? wait.TotalSeconds * RefillPerSecond(state, limit, now) : 1;
        state.Tokens = Math.Min(state.Tokens, untilNextToken < 1 ? 1 - untilNextToken : 0);
    }

    /// <summary>
    /// A 429 this bucket did not expect means other machines spend the same budget: this one lowers its rate, and
    /// its next token comes a whole refill at the new rate later. When the bucket still held tokens, the server
    /// gave the others about as many as it held since the bucket was last full, against the <see cref="LearnedRate.Drawn"/>
    /// this machine had: its share. Otherwise the rate goes down by <see cref="ShareDecrease"/>. A 429 for a token
    /// taken before the last lowering answers the old rate, and teaches nothing.
    /// </summary>
    /// <returns>whether the rate was lowered.</returns>
    public static bool Learn(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now, long takenAt)
    {
        Refill(ref state, limit, now);
        var learned = state.Learned;
        learned.Drawn = Math.Max(0, learned.Drawn - 1);
        if (takenAt < learned.UtcTicks)
        {
            state.Learned = learned;
            return false;
        }

        var share = Share(learned, now);
        var lowered = share * ShareDecrease;
        if (state.Tokens > 0 && learned.Drawn + state.Tokens > 0)
        {
            var estimate = ShareCushion * learned.Drawn / (learned.Drawn + state.Tokens);
            lowered = Math.Max(share * LargestDrop, Math.Min(lowered, estimate));
        }

        learned.Share = Math.Max(ShareFloor, Math.Min(share, lowered));
        learned.UtcTicks = Math.Max(now.UtcTicks, state.UtcTicks);
        state.Learned = learned;
        state.Tokens = Math.Min(state.Tokens, 0);
        return true;
    }

    /// <summary>The part of the documented rate a machine uses at <paramref name="now"/>: its learned share, climbing back since.</summary>
    public static double Share(in LearnedRate learned, DateTimeOffset now)
    {
        if (learned.Share <= 0 || double.IsNaN(learned.Share))
        {
            return 1;
        }

        var minutes = Math.Max(0, (now.UtcTicks - learned.UtcTicks) / (double)TimeSpan.TicksPerMinute);
        return Math.Min(1, Math.Max(ShareFloor, learned.Share) + minutes * ShareClimbPerMinute);
    }

    private static void Refill(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now)
    {
        var capacity = Capacity(limit);
        var ticks = now.UtcTicks;

        // A state another process wrote with a larger shape, or a corrupt one, is clamped rather than trusted.
        if (state.UtcTicks == 0 || double.IsNaN(state.Tokens) || double.IsInfinity(state.Tokens))
        {
            state = new BucketState { Tokens = capacity, UtcTicks = ticks, Learned = state.Learned };
            state.Learned.Drawn = 0;
            return;
        }

        // A clock that stepped back refills nothing until it catches up; it never takes tokens away.
        if (ticks > state.UtcTicks)
        {
            state.Tokens += (ticks - state.UtcTicks) / (double)TimeSpan.TicksPerSecond * RefillPerSecond(state, limit, now);
            state.UtcTicks = ticks;
        }

        if (state.Tokens >= capacity || double.IsNaN(state.Learned.Drawn))
        {
            state.Tokens = capacity;
            state.Learned.Drawn = 0;
        }
    }

    /// <summary>The documented rate times the share this machine learned (evaluated at the end of the refill: it only climbs, slowly).</summary>
    private static double RefillPerSecond(in BucketState state, AurousBucketLimit limit, DateTimeOffset now) =>
        PerSecond(limit) * Share(state.Learned, now);
}
