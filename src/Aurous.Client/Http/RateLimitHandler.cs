using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Takes a token from the team's client-side bucket before each attempt, so a bulk pipeline, or several processes
/// of one user, wait instead of collecting 429s. A wait worth noticing is announced first; a 429 empties the bucket,
/// since the server's is empty whatever this machine thought (another machine may be spending the same budget).
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
        var bucket = RateLimiterRegistry.Get(context.BucketScope, name, limits.SharedStateDirectory);
        var time = context.Options.TimeProvider;

        var wait = bucket.Take(limit, time.GetUtcNow(), context);
        context.BucketWait = wait;
        if (wait > TimeSpan.Zero)
        {
            context.TotalBucketWait += wait;
            if (wait >= AurousWait.VisibleAfter)
            {
                var sharing = bucket.Shared ? "shared with this user's other processes" : "kept by this process alone";
                context.Log(
                    AurousLogLevel.Verbose,
                    $"Waiting {Elapsed.Format(wait)} for the {name} rate limit of {context.Host} ({limit}, {sharing}) before {request.Method} {request.RequestUri?.AbsolutePath}",
                    new AurousWait(AurousWaitReason.RateLimit, name, context.Host, wait));
            }

            try
            {
                await time.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                bucket.GiveBack(limit, time.GetUtcNow(), context);
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
            bucket.GiveBack(limit, time.GetUtcNow(), context);
            throw;
        }

        if ((int)response.StatusCode == 429)
        {
            bucket.Empty(limit, time.GetUtcNow(), RetryHandler.RetryAfter(response, time), context);
        }

        return response;
    }
}
