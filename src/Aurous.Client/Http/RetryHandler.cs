using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Retries transient failures (connection, timeout, 429, 500, 502, 503, 504; never 400/401/402/404/409) with
/// full-jitter backoff, honouring Retry-After, bounded by total time and, except for 429s and paid calls whose
/// outcome is open, by attempts. The request message, and so its Idempotency-Key, is the same on every attempt,
/// which makes a retried paid call a server replay.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        var policy = context.Options.Retry;
        var time = context.Options.TimeProvider;
        var started = time.GetTimestamp();

        for (var attempt = 1; ; attempt++)
        {
            context.Attempts = attempt;
            HttpResponseMessage? response = null;
            ExceptionDispatchInfo? failure = null;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(e))
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }

            // An attempt the server never saw says nothing about earlier ones, which may have reached it.
            context.OutcomeUnknown = response is null
                ? context.OutcomeUnknown || !NeverReachedServer(failure!.SourceException)
                : LeavesOutcomeOpen(response.StatusCode, context.OutcomeUnknown);
            var retryAfter = response is null ? null : RetryAfter(response, time);
            var transient = response is null ? ShouldRetry(failure!.SourceException, context.SafeToRepeat) : ShouldRetry(response.StatusCode, context.SafeToRepeat);
            var capped = !OutlastsAttemptLimit(response?.StatusCode, context);
            var retry = transient && policy.MaxAttempts > 1 && (attempt < policy.MaxAttempts || !capped);
            var delay = retry ? Backoff.Delay(policy, attempt, retryAfter, Backoff.NextRandom()) : TimeSpan.Zero;
            if (retry && time.GetElapsedTime(started) - context.TotalBucketWait + delay > policy.MaxElapsed)
            {
                retry = false;
            }

            if (!retry)
            {
                failure?.Throw();
                return response!;
            }

            LogRetry(request, context, response, failure?.SourceException, retryAfter, delay, attempt + 1, capped ? policy.MaxAttempts : null);
            response?.Dispose();
            await time.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A wait of <see cref="AurousWait.VisibleAfter"/> or more also travels as an <see cref="AurousWait"/>, for progress.</summary>
    private static void LogRetry(HttpRequestMessage request, AurousRequestContext context, HttpResponseMessage? response, Exception? failure, TimeSpan? retryAfter, TimeSpan delay, int nextAttempt, int? maxAttempts)
    {
        var rateLimited = (int?)response?.StatusCode == 429;
        var reason = response is null
            ? failure!.GetType().Name
            : rateLimited
                ? $"429 from {context.Host}{(context.Bucket is null ? "" : $" on the {context.Bucket} rate limit")}{(retryAfter is { } asked ? $", Retry-After {Elapsed.Format(asked)}" : "")}"
                : $"{(int)response.StatusCode} from {context.Host}";
        var of = maxAttempts is null ? "" : $" of {maxAttempts}";
        var wait = delay < AurousWait.VisibleAfter
            ? null
            : new AurousWait(rateLimited && retryAfter is not null ? AurousWaitReason.RetryAfter : AurousWaitReason.Backoff, context.Bucket, context.Host, delay);
        context.Log(
            AurousLogLevel.Verbose,
            $"Retrying {request.Method} {request.RequestUri?.AbsolutePath} in {Elapsed.Format(delay)} after {reason} (attempt {nextAttempt}{of}{(context.IdempotencyKey is null ? "" : ", same Idempotency-Key")})",
            wait);
    }

    /// <summary>
    /// A 429 and a paid call whose outcome is open are retried for the whole time budget rather than a number of
    /// attempts: each retry is free (the server refused the 429 outright; a keyed repeat is a replay or a first
    /// commit), while giving up leaves the caller with a call that may have been charged.
    /// </summary>
    internal static bool OutlastsAttemptLimit(HttpStatusCode? status, AurousRequestContext context) =>
        (int?)status == 429 || (context.IdempotencyKey is not null && context.OutcomeUnknown);

    /// <summary>
    /// Whether, after this answer, the server may have acted on the call without the caller knowing: a 5xx may come
    /// after the work was done; a 429 or a 409 (a concurrent request with the key) says nothing about earlier attempts.
    /// </summary>
    internal static bool LeavesOutcomeOpen(HttpStatusCode status, bool openBefore) => (int)status switch
    {
        >= 500 => true,
        429 or 409 => openBefore,
        _ => false,
    };

    internal static bool ShouldRetry(HttpStatusCode status, bool safeToRepeat) => (int)status switch
    {
        // The server refuses a rate-limited request before doing anything, so even an unkeyed paid call may repeat it.
        429 => true,
        500 or 502 or 503 or 504 => safeToRepeat,
        _ => false,
    };

    /// <summary>An endpoint whose circuit is open has been tried for the unreachable timeout already: no more retries.</summary>
    internal static bool ShouldRetry(Exception failure, bool safeToRepeat) =>
        failure is not EndpointUnreachableException && (safeToRepeat || NeverReachedServer(failure));

    internal static bool IsTransportFailure(Exception e) =>
        e is HttpRequestException or TimeoutException or IOException or OperationCanceledException;

    /// <summary>Only a refused or unresolved connection, or an attempt the circuit kept back, proves the server never saw the request.</summary>
    internal static bool NeverReachedServer(Exception failure)
    {
        if (failure is EndpointUnreachableException)
        {
            return true;
        }

        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable or SocketError.HostUnreachable })
            {
                return true;
            }
        }

        return false;
    }

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
