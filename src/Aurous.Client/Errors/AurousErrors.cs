using System;
using System.Collections.Generic;

namespace Aurous.Client;

/// <summary>
/// The one table of ErrorIds and their categories. Every ErrorId the client or the module
/// reports is a constant here; HTTP answers are classified by <see cref="FromResponse"/>.
/// </summary>
public static class AurousErrors
{
    // Server answers.
    public const string CharacterNotFound = nameof(CharacterNotFound);
    public const string ResourceNotFound = nameof(ResourceNotFound);
    public const string RefUrlExpired = nameof(RefUrlExpired);
    public const string InvalidRequest = nameof(InvalidRequest);
    public const string AuthenticationFailed = nameof(AuthenticationFailed);
    public const string PermissionDenied = nameof(PermissionDenied);
    public const string InsufficientCredits = nameof(InsufficientCredits);
    public const string IdempotencyKeyInUse = nameof(IdempotencyKeyInUse);
    public const string Conflict = nameof(Conflict);
    public const string RateLimitExceeded = nameof(RateLimitExceeded);
    public const string ServerError = nameof(ServerError);
    public const string UnexpectedResponse = nameof(UnexpectedResponse);
    public const string InvalidResponse = nameof(InvalidResponse);

    // Transport.
    public const string ConnectionFailed = nameof(ConnectionFailed);
    public const string RequestTimedOut = nameof(RequestTimedOut);

    // Input refused before any request.
    public const string InvalidCharacterId = nameof(InvalidCharacterId);
    public const string InvalidCharacterName = nameof(InvalidCharacterName);
    public const string UnknownAttribute = nameof(UnknownAttribute);
    public const string InvalidAttributeValue = nameof(InvalidAttributeValue);
    public const string InvalidPose = nameof(InvalidPose);
    public const string InvalidIdempotencyKey = nameof(InvalidIdempotencyKey);
    public const string IdempotencyKeyReused = nameof(IdempotencyKeyReused);
    public const string EmptyUpdate = nameof(EmptyUpdate);
    public const string InvalidRequestPath = nameof(InvalidRequestPath);
    public const string InvalidRequestBody = nameof(InvalidRequestBody);

    // Ref files.
    public const string RefNotFound = nameof(RefNotFound);
    public const string RefFileWriteFailed = nameof(RefFileWriteFailed);
    public const string RefImageTooLarge = nameof(RefImageTooLarge);
    public const string RefImageUnreadable = nameof(RefImageUnreadable);

    // Review (Show-AurousCharacter).
    public const string ReviewPageWriteFailed = nameof(ReviewPageWriteFailed);
    public const string NonInteractiveSession = nameof(NonInteractiveSession);

    // Configuration.
    public const string MissingApiKey = nameof(MissingApiKey);
    public const string InsecureBaseUri = nameof(InsecureBaseUri);
    public const string InvalidConfiguration = nameof(InvalidConfiguration);

    // Waiting.
    public const string CharacterFailed = nameof(CharacterFailed);
    public const string WaitTimedOut = nameof(WaitTimedOut);

    // The local emulator (Start-AurousEmulator and the control commands).
    public const string EmulatorNotInstalled = nameof(EmulatorNotInstalled);
    public const string EmulatorStartFailed = nameof(EmulatorStartFailed);
    public const string NotAnEmulator = nameof(NotAnEmulator);

    // One row per ErrorId: its category, and what to do next when the error came from the server or the network.
    // Errors the client raises itself (bad input, configuration) say what to do in their own message.
    private static readonly Dictionary<string, (AurousErrorCategory Category, string? NextStep)> Table = new(StringComparer.Ordinal)
    {
        [CharacterNotFound] = (AurousErrorCategory.ObjectNotFound, "Check the id: the character may have been deleted, belong to another team (another API key), or be mistyped"),
        [ResourceNotFound] = (AurousErrorCategory.ObjectNotFound, "Check the path: the resource may have been deleted, belong to another team (another API key), or be mistyped"),
        [RefUrlExpired] = (AurousErrorCategory.PermissionDenied, "Read the character again to get fresh ref URLs"),
        [InvalidRequest] = (AurousErrorCategory.InvalidArgument, "Correct the value the server names and run the command again"),
        [AuthenticationFailed] = (AurousErrorCategory.AuthenticationError, "Check the API key, and that it is a key for this server"),
        [PermissionDenied] = (AurousErrorCategory.PermissionDenied, "Check the key's permissions; for a ref URL, read the character again to get a fresh one"),
        [InsufficientCredits] = (AurousErrorCategory.QuotaExceeded, "Add credits to the team, then run the command again"),
        [IdempotencyKeyInUse] = (AurousErrorCategory.ResourceExists, "Use a new idempotency key: a key can only repeat the exact same call on the same character"),
        [IdempotencyKeyReused] = (AurousErrorCategory.InvalidArgument, null),
        [Conflict] = (AurousErrorCategory.InvalidOperation, "Read the character again, then retry against its current state"),
        [RateLimitExceeded] = (AurousErrorCategory.LimitsExceeded, "Wait and run the command again, or spread the calls out: the limits are per team, shared by every client using its keys"),
        [ServerError] = (AurousErrorCategory.ResourceUnavailable, "Try again later; if it persists, give Aurous support the request id"),
        [UnexpectedResponse] = (AurousErrorCategory.NotSpecified, "Check that the base URI points at the Aurous API, not at a proxy or another service"),
        [InvalidResponse] = (AurousErrorCategory.InvalidData, "Check that the base URI points at the Aurous API, not at a proxy or another service"),
        [ConnectionFailed] = (AurousErrorCategory.ConnectionError, "Check that the server is running and reachable from here (address, network, proxy, firewall), then run the command again"),
        [RequestTimedOut] = (AurousErrorCategory.OperationTimeout, "The server or the network is slow or down; try again later"),
        [InvalidCharacterId] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidCharacterName] = (AurousErrorCategory.InvalidArgument, null),
        [UnknownAttribute] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidAttributeValue] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidPose] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidIdempotencyKey] = (AurousErrorCategory.InvalidArgument, null),
        [EmptyUpdate] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidRequestPath] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidRequestBody] = (AurousErrorCategory.InvalidArgument, null),
        [RefNotFound] = (AurousErrorCategory.ObjectNotFound, null),
        [RefFileWriteFailed] = (AurousErrorCategory.WriteError, null),
        [RefImageTooLarge] = (AurousErrorCategory.LimitsExceeded, null),
        [RefImageUnreadable] = (AurousErrorCategory.InvalidData, null),
        [ReviewPageWriteFailed] = (AurousErrorCategory.WriteError, null),
        [NonInteractiveSession] = (AurousErrorCategory.InvalidOperation, null),
        [MissingApiKey] = (AurousErrorCategory.AuthenticationError, null),
        [InsecureBaseUri] = (AurousErrorCategory.InvalidArgument, null),
        [InvalidConfiguration] = (AurousErrorCategory.InvalidArgument, null),
        [CharacterFailed] = (AurousErrorCategory.InvalidResult, null),
        [WaitTimedOut] = (AurousErrorCategory.OperationTimeout, null),
        [EmulatorNotInstalled] = (AurousErrorCategory.NotInstalled, null),
        [EmulatorStartFailed] = (AurousErrorCategory.ResourceUnavailable, null),
        [NotAnEmulator] = (AurousErrorCategory.InvalidOperation, null),
    };

    /// <summary>The category of a known ErrorId; <see cref="AurousErrorCategory.NotSpecified"/> otherwise.</summary>
    public static AurousErrorCategory CategoryOf(string errorId) =>
        Table.TryGetValue(errorId, out var row) ? row.Category : AurousErrorCategory.NotSpecified;

    /// <summary>What to do next after a server or network error with this ErrorId; null where the message says it.</summary>
    public static string? NextStepFor(string errorId) =>
        Table.TryGetValue(errorId, out var row) ? row.NextStep : null;

    public static AurousErrorInfo Get(string errorId) => new(errorId, CategoryOf(errorId));

    /// <summary>
    /// Classifies an HTTP error answer. The code wins where it is specific; the status decides otherwise. A 404 gets
    /// <paramref name="notFound"/>: CharacterNotFound, unless the route is about something else (ResourceNotFound).
    /// </summary>
    public static AurousErrorInfo FromResponse(int statusCode, string? code, string notFound = CharacterNotFound)
    {
        var byCode = code switch
        {
            "resource_not_found" => notFound,
            "insufficient_credits" => InsufficientCredits,
            "idempotency_key_in_use" => IdempotencyKeyInUse,
            "rate_limit_exceeded" => RateLimitExceeded,
            "url_expired" => RefUrlExpired,
            "authentication_failed" or "invalid_api_key" or "missing_api_key" => AuthenticationFailed,
            _ => null,
        };
        if (byCode is not null)
        {
            return Get(byCode);
        }

        return Get(statusCode switch
        {
            400 or 422 => InvalidRequest,
            401 => AuthenticationFailed,
            402 => InsufficientCredits,
            403 => PermissionDenied,
            404 => notFound,
            409 => Conflict,
            429 => RateLimitExceeded,
            408 => RequestTimedOut,
            >= 500 and <= 599 => ServerError,
            _ => UnexpectedResponse,
        });
    }
}
