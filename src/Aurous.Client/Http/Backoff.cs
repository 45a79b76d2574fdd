using System;

namespace Aurous.Client.Http;

/// <summary>Exponential backoff with full jitter: a delay drawn uniformly from [0, min(MaxDelay, BaseDelay * 2^(attempt-1))].</summary>
internal static class Backoff
{
    private static readonly Random Shared = new();

    /// <param name="policy">base and maximum delay.</param>
    /// <param name="attempt">the attempt that just failed, from 1.</param>
    /// <param name="retryAfter">the server's Retry-After; the delay is never shorter.</param>
    /// <param name="random01">a draw from [0, 1); tests pass fixed values.</param>
    public static TimeSpan Delay(AurousRetryPolicy policy, int attempt, TimeSpan? retryAfter, double random01)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceilingTicks = Math.Min(policy.MaxDelay.Ticks, policy.BaseDelay.Ticks * Math.Pow(2, exponent));
        var jittered = TimeSpan.FromTicks((long)(ceilingTicks * random01));
        return retryAfter is { } wait && wait > jittered ? wait : jittered;
    }

    public static double NextRandom()
    {
        lock (Shared)
        {
            return Shared.NextDouble();
        }
    }
}
