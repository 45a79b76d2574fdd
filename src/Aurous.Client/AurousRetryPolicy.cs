using System;

namespace Aurous.Client;

/// <summary>Bounds for retrying transient failures (connection, timeout, 429, 500, 502, 503, 504).</summary>
public sealed class AurousRetryPolicy
{
    /// <summary>
    /// Total attempts including the first; 1 disables retries. 429s, and paid calls whose outcome is open, are not
    /// counted against it: only <see cref="MaxElapsed"/> ends them.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First backoff ceiling; doubles each attempt, full jitter picks a delay in [0, ceiling].</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>No new attempt starts once this much time has passed since the first.</summary>
    public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromMinutes(2);

    public static AurousRetryPolicy None => new() { MaxAttempts = 1 };
}
