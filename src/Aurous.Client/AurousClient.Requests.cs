using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client;

public sealed partial class AurousClient
{
    /// <summary>
    /// Calls any route under the base URI (Invoke-AurousRequest) through the same pipeline as the typed calls:
    /// key, version pin, bucket by route (<see cref="AurousRoute"/>), retries, redacted logging. Every POST carries
    /// an Idempotency-Key, generated when the request has none. The path, method, body and key are checked first.
    /// </summary>
    /// <exception cref="AurousException">for bad input (before any request) and for every error answer.</exception>
    public async Task<AurousResponse> SendAsync(AurousRequest request, CancellationToken ct = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var route = AurousRoute.Resolve(Options.BaseUri, request.Method, request.Path);
        var key = IdempotencyKeyFor(route, request.IdempotencyKey);
        HttpContent? body = null;
        if (request.Body is not null)
        {
            if (route.Method == "GET")
            {
                throw new AurousValidationException($"{route} takes no body: a GET sends its parameters in the query, such as /v1/characters?limit=5.", AurousErrors.InvalidRequestBody, "Body");
            }

            body = new ByteArrayContent(Encoding.UTF8.GetBytes(AurousJson.Validate(request.Body)));
            body.Headers.ContentType = Json;
        }

        // A 404 elsewhere is about some other resource (an image, a route that does not exist), not a character.
        var notFound = route.IsCharacterRoute ? AurousErrors.CharacterNotFound : AurousErrors.ResourceNotFound;
        var response = await SendRawAsync(new HttpMethod(route.Method), route.RelativeUri, body, route.Bucket, key, ct, notFound).ConfigureAwait(false);
        using (response)
        {
            var content = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return new AurousResponse(route, response.Content.Headers.ContentType?.MediaType, content, ResponseInfo(response, key));
        }
    }

    private static string? IdempotencyKeyFor(AurousRoute route, string? given)
    {
        if (route.Method == "POST")
        {
            return IdempotencyKeyFor(given);
        }

        if (given is not null && route.Method == "GET")
        {
            throw new AurousValidationException($"{route} is a read: the API never replays a GET, so an Idempotency-Key would do nothing. Leave it out.", AurousErrors.InvalidIdempotencyKey, "IdempotencyKey");
        }

        return given is null ? null : AurousValidation.IdempotencyKey(given);
    }
}
