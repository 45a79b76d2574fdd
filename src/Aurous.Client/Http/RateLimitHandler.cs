using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Takes a token from the team's client-side bucket before each attempt, so a bulk pipeline, or several processes
/// of one user, wait instead of collecting 429s. A wait worth noticing is announced first; a 429 empties the bucket,
/// since the server's is empty whatever this machine thought (another machine may be spending the same budget), and
/// when the bucket is this machine's alone and did not expect it, lowers the machine's rate (<see cref="TokenBucket.Learn"/>).
/// </summary>
internal sealed class RateLimitHandler : DelegatingHandler
{
    // Not async when the limits are off, so a disabled handler costs no state machine per request.
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        return context.Options.RateLimits.Enabled && context.Bucket is not null
            ? WaitThenSendAsync(request, context, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> WaitThenSendAsync(HttpRequestMessage request, AurousRequestContext context, CancellationToken cancellationToken)
    {
        var limits = context.Options.RateLimits;
        var name = context.Bucket!;
        var limit = limits.For(name);
        var bucket = RateLimiterRegistry.Get(context.BucketScope, name, limits);
        var time = context.Options.TimeProvider;

        var (taken, store) = await bucket.ApplyAsync(new BucketChange(BucketOperation.Take, limit, time.GetUtcNow()), context).ConfigureAwait(false);
        var wait = taken.Wait;
        context.BucketWait = wait;
        if (wait > TimeSpan.Zero)
        {
            context.TotalBucketWait += wait;
            if (wait >= AurousWait.VisibleAfter)
            {
                var learned = taken.Share < 1 ? $", this machine's share {PerMinute(limit, taken.Share)}" : "";
                context.Log(
                    AurousLogLevel.Verbose,
                    $"Waiting {Elapsed.Format(wait)} for the {name} rate limit of {context.Host} ({limit}{learned}, {store.Sharing}) before {request.Method} {request.RequestUri?.AbsolutePath}",
                    new AurousWait(AurousWaitReason.RateLimit, name, context.Host, wait));
            }

            try
            {
                await time.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await bucket.ApplyAsync(new BucketChange(BucketOperation.GiveBack, limit, time.GetUtcNow()), context).ConfigureAwait(false);
                throw;
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RetryHandler.NeverReachedServer(e))
        {
            // A refused or unresolved connection spent nothing of the server's bucket, so it spends nothing of ours
            // (nor of the state file's): a run against a dead endpoint leaves the next run a full bucket.
            await bucket.ApplyAsync(new BucketChange(BucketOperation.GiveBack, limit, time.GetUtcNow()), context).ConfigureAwait(false);
            throw;
        }

        if ((int)response.StatusCode == 429)
        {
            var change = new BucketChange(BucketOperation.Throttled, limit, time.GetUtcNow(), RetryHandler.RetryAfter(response, time), taken.TakenAt, limits.Adaptive);
            var (throttled, _) = await bucket.ApplyAsync(change, context).ConfigureAwait(false);
            if (throttled.Lowered)
            {
                context.Log(
                    AurousLogLevel.Verbose,
                    $"{context.Host} answered 429 on the {name} rate limit while this machine's bucket still allowed the request: another machine spends the same budget. This machine now keeps to {PerMinute(limit, throttled.Share)} of the {limit.PerMinute}, and climbs back by {PerMinute(limit, TokenBucket.ShareClimbPerMinute)} a minute while no 429 comes.");
            }
        }

        return response;
    }

    private static string PerMinute(AurousBucketLimit limit, double share) =>
        (limit.PerMinute * share).ToString(share * limit.PerMinute >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture) + " per minute";
}
