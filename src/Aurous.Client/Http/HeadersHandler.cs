using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Adds the key, version pin, User-Agent and idempotency key once, outside the retry loop, so every retry repeats
/// them. A ref download gets only the User-Agent: its URL is its credential, and the key must never leave for a storage host.
/// </summary>
internal sealed class HeadersHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", context.UserAgent);
        if (context.IsDownload)
        {
            headers.TryAddWithoutValidation("Accept", "image/*, application/octet-stream;q=0.5");
            return base.SendAsync(request, cancellationToken);
        }

        headers.TryAddWithoutValidation("X-Api-Key", context.Options.ApiKey);
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
