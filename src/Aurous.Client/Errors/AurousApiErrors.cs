using System;
using System.Net.Http;
using System.Text.Json;
using Aurous.Client.Http;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>Builds <see cref="AurousApiException"/>s from what came back (or didn't); the ErrorId always comes from <see cref="AurousErrors"/>.</summary>
internal static class AurousApiErrors
{
    public static AurousApiException FromResponse(HttpResponseMessage response, byte[] body, AurousClientOptions options, int attempts)
    {
        var status = (int)response.StatusCode;
        var error = Envelope(body);
        var info = AurousErrors.FromResponse(status, error?.Code);
        var requestId = LoggingHandler.Header(response, LoggingHandler.RequestIdHeader);
        var serverMessage = string.IsNullOrWhiteSpace(error?.Message) ? response.ReasonPhrase : error!.Message;
        var message = $"{serverMessage} (HTTP {status}{(error?.Code is null ? "" : " " + error.Code)}{(error?.Param is null ? "" : ", param " + error.Param)}; request id {requestId ?? "none"}{(attempts > 1 ? $"; after {attempts} attempts" : "")})";
        return new AurousApiException(
            AurousRedactor.Redact(message, options.ApiKey),
            info.ErrorId,
            info.Category,
            status,
            error?.Type,
            error?.Code,
            error?.Param,
            requestId,
            RetryHandler.RetryAfter(response, options.TimeProvider));
    }

    // target: "/v1/characters/…", or for a download its URL with the query masked.
    public static AurousApiException Transport(Exception failure, HttpMethod method, string target, int attempts)
    {
        var timedOut = failure is TimeoutException or OperationCanceledException;
        var errorId = timedOut ? AurousErrors.RequestTimedOut : AurousErrors.ConnectionFailed;
        var what = timedOut ? "timed out" : "could not reach the server";
        var next = timedOut
            ? "The server may be overloaded; try again later."
            : "Check that the server is running and the address is right (Connect-Aurous -BaseUri, or AUROUS_BASE_URL).";
        var message = $"{method} {target} {what} after {attempts} attempt{(attempts == 1 ? "" : "s")}: {(timedOut ? failure.Message : Innermost(failure).Message).TrimEnd('.')}. {next}";

        // The inner exception is not kept: socket messages can quote the proxy URL, credentials and all.
        return new AurousApiException(AurousRedactor.Redact(message), errorId, AurousErrors.CategoryOf(errorId), 0);
    }

    public static AurousApiException InvalidResponse(HttpResponseMessage response, string problem, string? apiKey)
    {
        var requestId = LoggingHandler.Header(response, LoggingHandler.RequestIdHeader);
        var message = $"The server's answer could not be read: {problem} (HTTP {(int)response.StatusCode}; request id {requestId ?? "none"}).";
        return new AurousApiException(AurousRedactor.Redact(message, apiKey), AurousErrors.InvalidResponse, AurousErrors.CategoryOf(AurousErrors.InvalidResponse), (int)response.StatusCode, requestId: requestId);
    }

    /// <summary>The same answer under another ErrorId, when the route tells more than the status and code do.</summary>
    public static AurousApiException Reclassify(AurousApiException e, string errorId) =>
        new(e.Message, errorId, AurousErrors.CategoryOf(errorId), e.StatusCode, e.Type, e.Code, e.Param, e.RequestId, e.RetryAfter);

    /// <summary>The same answer, its message saying first what it was about ("Could not download the front ref of …").</summary>
    public static AurousApiException About(AurousApiException e, string subject) =>
        new($"{subject}: {e.Message}", e.ErrorId, e.Category, e.StatusCode, e.Type, e.Code, e.Param, e.RequestId, e.RetryAfter);

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

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
