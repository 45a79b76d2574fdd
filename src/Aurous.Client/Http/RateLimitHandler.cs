using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>Takes a token from the team's client-side bucket before each attempt, so a bulk pipeline waits instead of collecting 429s.</summary>
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
        var limiter = RateLimiterRegistry.Get(context.BucketScope, context.Bucket!, limits.For(context.Bucket!));

        // The limiter replenishes on real time, so its wait is measured on real time too.
        var started = Stopwatch.GetTimestamp();
        using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        context.BucketWait = Elapsed.Since(started);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
