using System;

namespace Aurous.Client.Http;

/// <summary>One bucket's state: tokens as of a UTC instant. Small enough to live in a 24-byte file.</summary>
internal struct BucketState
{
    public double Tokens;

    /// <summary>UTC ticks of <see cref="Tokens"/>; 0 for a bucket never used, which starts full.</summary>
    public long UtcTicks;
}

/// <summary>
/// The server's bucket, mirrored: refilled continuously, and taken by reservation. A caller that finds no token
/// still takes one (the count goes below zero) and is told how long to wait for it, so waiting callers are served
/// in order without a timer or a queue, and any number of processes can share the state by reading and writing it.
/// </summary>
internal static class TokenBucket
{
    /// <summary>
    /// Requests reach the server a little after they leave this bucket, and unevenly, so a sequence that fits the
    /// client's bucket can still arrive bunched up at the server's. Holding back what the bucket refills in half a
    /// second (one token at least) absorbs that much unevenness: one token of the documented characters_get, 240.
    /// </summary>
    private static readonly TimeSpan LatencyAllowance = TimeSpan.FromSeconds(0.5);

    public static double Capacity(AurousBucketLimit limit) =>
        Math.Max(1, limit.Burst - Math.Max(1, Math.Ceiling(PerSecond(limit) * LatencyAllowance.TotalSeconds)));

    /// <returns>how long the caller waits before its request may go; zero when a token was there.</returns>
    public static TimeSpan Take(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now)
    {
        Refill(ref state, limit, now);
        state.Tokens -= 1;
        return state.Tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-state.Tokens / PerSecond(limit));
    }

    /// <summary>A reservation the caller gave up (cancelled while waiting) goes back to the others.</summary>
    public static void GiveBack(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now)
    {
        Refill(ref state, limit, now);
        state.Tokens = Math.Min(Capacity(limit), state.Tokens + 1);
    }

    /// <summary>
    /// The server said 429: its bucket is empty whatever ours says, so ours is too, refilling its next token when the
    /// server's Retry-After says (when that comes sooner than a token's refill: it rounds up to whole seconds).
    /// </summary>
    public static void Empty(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now, TimeSpan? retryAfter)
    {
        Refill(ref state, limit, now);
        var untilNextToken = retryAfter is { } wait ? wait.TotalSeconds * PerSecond(limit) : 1;
        state.Tokens = Math.Min(state.Tokens, untilNextToken < 1 ? 1 - untilNextToken : 0);
    }

    private static void Refill(ref BucketState state, AurousBucketLimit limit, DateTimeOffset now)
    {
        var capacity = Capacity(limit);
        var ticks = now.UtcTicks;

        // A state another process wrote with a larger shape, or a corrupt one, is clamped rather than trusted.
        if (state.UtcTicks == 0 || double.IsNaN(state.Tokens) || double.IsInfinity(state.Tokens))
        {
            state = new BucketState { Tokens = capacity, UtcTicks = ticks };
            return;
        }

        // A clock that stepped back refills nothing until it catches up; it never takes tokens away.
        if (ticks > state.UtcTicks)
        {
            state.Tokens += (ticks - state.UtcTicks) / (double)TimeSpan.TicksPerSecond * PerSecond(limit);
            state.UtcTicks = ticks;
        }

        state.Tokens = Math.Min(capacity, state.Tokens);
    }

    private static double PerSecond(AurousBucketLimit limit) => limit.PerMinute / 60.0;
}
