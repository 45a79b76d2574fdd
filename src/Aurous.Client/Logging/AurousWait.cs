using System;

namespace Aurous.Client;

/// <summary>Why a call is waiting although the caller asked for nothing of the kind.</summary>
public enum AurousWaitReason
{
    /// <summary>The team's client-side bucket has no token yet: pacing to stay inside the documented limit.</summary>
    RateLimit,

    /// <summary>The server answered 429 and said how long to wait (Retry-After).</summary>
    RetryAfter,

    /// <summary>Backing off before retrying a failed attempt (5xx, timeout, dropped connection).</summary>
    Backoff,
}

/// <summary>
/// A wait long enough to notice (<see cref="VisibleAfter"/> or more) that the caller did not ask for, attached to the
/// Verbose event that announces it, so a host can also show it as progress.
/// </summary>
public sealed class AurousWait
{
    /// <summary>Shorter waits pass unannounced: they are the ordinary pace of a busy pipeline.</summary>
    public static readonly TimeSpan VisibleAfter = TimeSpan.FromSeconds(2);

    public AurousWait(AurousWaitReason reason, string? bucket, string host, TimeSpan duration)
    {
        Reason = reason;
        Bucket = bucket;
        Host = host;
        Duration = duration;
    }

    public AurousWaitReason Reason { get; }

    /// <summary>The rate-limit bucket of the call, e.g. characters_synthesize; null for a route no documented bucket covers.</summary>
    public string? Bucket { get; }

    /// <summary>The endpoint's host and port, e.g. api.aurous-labs.com.</summary>
    public string Host { get; }

    public TimeSpan Duration { get; }
}
