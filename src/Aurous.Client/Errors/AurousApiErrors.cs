using System;
using System.Net.Http;
using System.Text.Json;
using Aurous.Client.Http;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>
/// Builds <see cref="AurousApiException"/>s from what came back (or didn't); the ErrorId always comes from
/// <see cref="AurousErrors"/>. Every message names the character (from the request path), the server, and the next
/// step: "Character char_…: No such character (HTTP 404 resource_not_found, from http://…, request id req_…). Check the id: …".
/// </summary>
internal static class AurousApiErrors
{
    private const string StateNextStep = "Read the character to see its status: this call is not allowed in the state it is in";

    /// <summary>The error for an answer that is not a success: ErrorId from its code or status, message with the facts support needs.</summary>
    /// <param name="response">the answer.</param>
    /// <param name="body">its body, already read.</param>
    /// <param name="options">the client's options, for the server and the key to redact.</param>
    /// <param name="attempts">how many attempts were made.</param>
    /// <param name="notFound">the ErrorId a 404 gets: see <see cref="AurousErrors.FromResponse"/>.</param>
    public static AurousApiException FromResponse(HttpResponseMessage response, byte[] body, AurousClientOptions options, int attempts, string notFound)
    {
        var status = (int)response.StatusCode;
        var error = Envelope(body);
        var info = AurousErrors.FromResponse(status, error?.Code, notFound);
        var requestId = LoggingHandler.Header(response, LoggingHandler.RequestIdHeader);
        var reason = AurousMessages.Clause(string.IsNullOrWhiteSpace(error?.Message) ? response.ReasonPhrase : error!.Message);
        var facts = $"HTTP {status}{(error?.Code is null ? "" : " " + error.Code)}{(error?.Param is null ? "" : ", param " + error.Param)}, from {AurousMessages.Server(options.BaseUri)}, request id {requestId ?? "none"}{AttemptsNote(attempts)}";
        var nextStep = status == 400 && error?.Param == "character_id" ? StateNextStep : AurousErrors.NextStepFor(info.ErrorId);
        return About(response.RequestMessage?.RequestUri, new AurousApiException(
            AurousRedactor.Redact(AurousMessages.Sentences($"{reason} ({facts})", nextStep), options.ApiKey),
            info.ErrorId,
            info.Category,
            status,
            error?.Type,
            error?.Code,
            error?.Param,
            requestId,
            RetryHandler.RetryAfter(response, options.TimeProvider),
            reason: AurousRedactor.Redact(reason, options.ApiKey)));
    }

    /// <param name="failure">what the network said.</param>
    /// <param name="method">the request's method.</param>
    /// <param name="target">the request's URL: the API's, or for a download its URL with the query masked.</param>
    /// <param name="attempts">how many attempts were made.</param>
    /// <param name="options">the client's options, for the server the user configured.</param>
    public static AurousApiException Transport(Exception failure, HttpMethod method, string target, int attempts, AurousClientOptions options)
    {
        var timedOut = failure is TimeoutException or OperationCanceledException;
        var errorId = timedOut ? AurousErrors.RequestTimedOut : AurousErrors.ConnectionFailed;
        var reason = AurousRedactor.Redact(AurousMessages.Clause(timedOut ? failure.Message : Innermost(failure).Message));
        var uri = Uri.TryCreate(target, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps) ? parsed : null;
        var server = uri is null || string.Equals(uri.Authority, options.BaseUri.Authority, StringComparison.OrdinalIgnoreCase)
            ? AurousMessages.ConfiguredServer(options.BaseUri)
            : AurousMessages.Server(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        var request = $"{method} {uri?.PathAndQuery ?? target}";
        var what = (failure, attempts) switch
        {
            // The last attempt was kept back by the endpoint's open circuit: only the earlier ones were sent.
            (EndpointUnreachableException, 1) => $"Not sent to {server} ({request})",
            (EndpointUnreachableException, _) => $"Gave up on {server} ({request}, {Attempts(attempts - 1)})",
            _ => $"{(timedOut ? "No answer from" : "Could not reach")} {server} ({request}, {Attempts(attempts)})",
        };
        var message = AurousMessages.Sentences($"{what}: {reason}", AurousErrors.NextStepFor(errorId));

        // The inner exception is not kept: socket messages can quote the proxy URL, credentials and all.
        return About(uri, new AurousApiException(AurousRedactor.Redact(message), errorId, AurousErrors.CategoryOf(errorId), 0, reason: reason));
    }

    public static AurousApiException InvalidResponse(HttpResponseMessage response, string problem, AurousClientOptions options)
    {
        var requestId = LoggingHandler.Header(response, LoggingHandler.RequestIdHeader);
        var message = AurousMessages.Sentences(
            $"The server's answer could not be read: {problem} (HTTP {(int)response.StatusCode}, from {AurousMessages.Server(options.BaseUri)}, request id {requestId ?? "none"})",
            AurousErrors.NextStepFor(AurousErrors.InvalidResponse));
        return About(response.RequestMessage?.RequestUri, new AurousApiException(AurousRedactor.Redact(message, options.ApiKey), AurousErrors.InvalidResponse, AurousErrors.CategoryOf(AurousErrors.InvalidResponse), (int)response.StatusCode, requestId: requestId, reason: problem));
    }

    /// <summary>The same answer, its message saying first what it was about ("Could not download the front ref of …").</summary>
    public static AurousApiException About(AurousApiException e, string subject) =>
        new($"{subject}: {e.Message}", e.ErrorId, e.Category, e.StatusCode, e.Type, e.Code, e.Param, e.RequestId, e.RetryAfter, reason: e.Reason);

    /// <summary>
    /// The character a request was about: the segment after "v1/characters/" in its path, wherever the base URI
    /// mounts the API. Taken from the path so every call, present and future, names its character the same way.
    /// </summary>
    internal static string? CharacterIdIn(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var segments = (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Split('/');
        for (var i = 0; i + 2 < segments.Length; i++)
        {
            if (segments[i] == "v1" && segments[i + 1] == "characters" && segments[i + 2].Length > 0)
            {
                return Uri.UnescapeDataString(segments[i + 2]);
            }
        }

        return null;
    }

    private static AurousApiException About(Uri? requestUri, AurousApiException exception)
    {
        exception.CharacterId = CharacterIdIn(requestUri);
        return exception;
    }

    private static string Attempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

    private static string AttemptsNote(int attempts) => attempts > 1 ? $", after {attempts} attempts" : "";

    private static ErrorBody? Envelope(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, AurousJsonContext.Default.ErrorEnvelope)?.Error;
        }
        catch (JsonException)
        {
            // Proxies and load balancers answer with HTML; the status alone then decides.
            return null;
        }
    }

    internal static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
