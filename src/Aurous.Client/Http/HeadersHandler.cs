using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>Adds the key, version pin, User-Agent and idempotency key once, outside the retry loop, so every retry repeats them.</summary>
internal sealed class HeadersHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        var headers = request.Headers;
        headers.TryAddWithoutValidation("X-Api-Key", context.Options.ApiKey);
        headers.TryAddWithoutValidation("User-Agent", context.UserAgent);
        headers.TryAddWithoutValidation("Accept", "application/json");
        if (context.Options.ApiVersion is { } version)
        {
            headers.TryAddWithoutValidation("Aurous-Version", version);
        }

        if (context.IdempotencyKey is { } key)
        {
            headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
