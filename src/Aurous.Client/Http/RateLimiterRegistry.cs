using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.RateLimiting;

namespace Aurous.Client.Http;

/// <summary>
/// The process-wide client-side buckets, one per (base URI, team, bucket, shape), shared by every client,
/// cmdlet call and runspace. Teams are told apart by a SHA-256 prefix of the key, never the key itself.
/// </summary>
internal static class RateLimiterRegistry
{
    /// <summary>Below this the replenishment timer would fire too often to be worth it; tokens come in batches instead.</summary>
    private static readonly TimeSpan MinReplenishmentPeriod = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentDictionary<string, Lazy<RateLimiter>> Limiters = new(StringComparer.Ordinal);

    public static string Scope(Uri baseUri, string apiKey) => $"{baseUri.GetLeftPart(UriPartial.Authority)}|{KeyHash(apiKey)}";

    public static RateLimiter Get(string scope, string bucket, AurousBucketLimit limit)
    {
        var name = $"{scope}|{bucket}|{limit.Burst}/{limit.PerMinute}";
        return Limiters.GetOrAdd(name, _ => new Lazy<RateLimiter>(() => Create(limit), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>
    /// The limiter's timer runs on its own phase, so right after the burst it can hand out a token up to one
    /// replenishment period before the server's bucket has refilled one. Holding that many tokens back from the
    /// burst absorbs the difference; the cost is one period on a long run.
    /// </summary>
    internal static TokenBucketRateLimiterOptions Shape(AurousBucketLimit limit)
    {
        var period = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / limit.PerMinute);
        var tokensPerPeriod = 1;
        if (period < MinReplenishmentPeriod)
        {
            tokensPerPeriod = (int)Math.Ceiling(MinReplenishmentPeriod.Ticks / (double)period.Ticks);
            period = TimeSpan.FromTicks(TimeSpan.TicksPerMinute * tokensPerPeriod / limit.PerMinute);
        }

        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, limit.Burst - tokensPerPeriod),
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }

    internal static string KeyHash(string apiKey)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(apiKey));
        var builder = new StringBuilder(16);
        for (var i = 0; i < 8; i++)
        {
            builder.Append(hash[i].ToString("x2"));
        }

        return builder.ToString();
    }

    private static RateLimiter Create(AurousBucketLimit limit) => new TokenBucketRateLimiter(Shape(limit));
}
