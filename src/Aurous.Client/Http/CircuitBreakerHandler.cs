using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Fails an attempt at once, before it waits for a rate-limit token or touches the network, while its endpoint's
/// <see cref="EndpointCircuit"/> is open; records every other attempt's answer or failure. Inside the retry handler, so
/// an open circuit also ends the retries: a job against a dead server fails in seconds instead of minutes.
/// </summary>
internal sealed class CircuitBreakerHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        var time = context.Options.TimeProvider;
        var endpoint = request.RequestUri!;
        var circuit = EndpointCircuit.For(endpoint);
        if (!circuit.TryAdmit(time.GetUtcNow(), out var refusal))
        {
            throw new EndpointUnreachableException(refusal);
        }

        var started = time.GetUtcNow();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (circuit.Answered())
            {
                context.Log(AurousLogLevel.Verbose, $"{endpoint.Authority} answers again: calls to it go through as before.");
            }

            return response;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && RetryHandler.IsTransportFailure(e))
        {
            // The attempt was sent only after its rate-limit wait, which is no silence of the endpoint's.
            var cause = AurousMessages.Clause(AurousApiErrors.Innermost(e).Message);
            if (circuit.Failed(started + context.BucketWait, time.GetUtcNow(), context.Options.UnreachableTimeout, cause))
            {
                context.Log(
                    AurousLogLevel.Verbose,
                    $"{endpoint.Authority} has given no answer for {Elapsed.Format(context.Options.UnreachableTimeout)} or more (last: {cause}): this process's calls to it fail at once until it answers again; one call every {EndpointCircuit.ProbeInterval.TotalSeconds:0} s tries it.");
            }

            throw;
        }
    }
}

/// <summary>An attempt not sent because its endpoint has not answered for the unreachable timeout; never retried.</summary>
internal sealed class EndpointUnreachableException : HttpRequestException
{
    public EndpointUnreachableException(string message)
        : base(message)
    {
    }
}
