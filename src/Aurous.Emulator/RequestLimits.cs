using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aurous.Emulator;

/// <summary>
/// How big a request may be. Kestrel answers its own limit violations with an empty body, which a client can
/// only guess at, so Kestrel's ceilings sit far above these and the middleware refuses first, in the envelope.
/// </summary>
internal static class RequestLimits
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The request target as sent (path and query), like the request line limit of common front ends.</summary>
    public const int MaxUriBytes = 8 * 1024;

    /// <summary>Every header's name, value and the four bytes of ": " and CRLF, added up.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's own ceilings: past these it still cuts the request off with an empty 414 or 431.</summary>
    public const int KestrelMaxRequestLineBytes = 1024 * 1024;
    public const int KestrelMaxHeaderBytes = 1024 * 1024;
    public const int KestrelMaxHeaderCount = 10_000;

    /// <summary>
    /// Kestrel reads and discards an unread body up to this size before the next request, so a client still
    /// sending an oversized body gets its 413 instead of a reset connection.
    /// </summary>
    public const long KestrelMaxBodyBytes = 16 * 1024 * 1024;

    public static void Configure(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = KestrelMaxRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = KestrelMaxHeaderBytes;
        limits.MaxRequestHeaderCount = KestrelMaxHeaderCount;
        limits.MaxRequestBodySize = KestrelMaxBodyBytes;
    }

    /// <summary>Refuses a request over a limit with 414, 431 or 413 (in that order) before anything else runs.</summary>
    public static void Check(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        if (target.Length > MaxUriBytes)
        {
            throw ApiErrors.UriTooLong(target.Length, MaxUriBytes);
        }

        var headers = context.Request.Headers;
        if (headers.Count > MaxHeaderCount)
        {
            throw ApiErrors.HeadersTooLarge($"The request has {headers.Count} headers; the emulator accepts at most {MaxHeaderCount}.", null);
        }

        var total = 0L;
        var largest = (Name: "", Bytes: 0L);
        foreach (var (name, values) in headers)
        {
            var bytes = values.Sum(value => name.Length + (value?.Length ?? 0) + 4L);
            total += bytes;
            if (bytes > largest.Bytes)
            {
                largest = (name, bytes);
            }
        }

        if (total > MaxHeaderBytes)
        {
            throw ApiErrors.HeadersTooLarge(
                $"The request headers add up to {total} bytes; the emulator accepts at most {MaxHeaderBytes}. The largest is {largest.Name} ({largest.Bytes} bytes).",
                largest.Name);
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw ApiErrors.BodyTooLarge(context.Request.ContentLength, MaxBodyBytes);
        }
    }
}
