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
    public const string EmptyUpdate = nameof(EmptyUpdate);
    public const string InvalidRequestPath = nameof(InvalidRequestPath);
    public const string InvalidRequestBody = nameof(InvalidRequestBody);

    // Ref files.
    public const string RefNotFound = nameof(RefNotFound);
    public const string RefFileWriteFailed = nameof(RefFileWriteFailed);

    // Configuration.
    public const string MissingApiKey = nameof(MissingApiKey);
    public const string InsecureBaseUri = nameof(InsecureBaseUri);
    public const string InvalidConfiguration = nameof(InvalidConfiguration);

    // Waiting.
    public const string CharacterFailed = nameof(CharacterFailed);
    public const string WaitTimedOut = nameof(WaitTimedOut);

    private static readonly Dictionary<string, AurousErrorCategory> Categories = new(StringComparer.Ordinal)
    {
        [CharacterNotFound] = AurousErrorCategory.ObjectNotFound,
        [ResourceNotFound] = AurousErrorCategory.ObjectNotFound,
        [RefUrlExpired] = AurousErrorCategory.PermissionDenied,
        [InvalidRequest] = AurousErrorCategory.InvalidArgument,
        [AuthenticationFailed] = AurousErrorCategory.AuthenticationError,
        [PermissionDenied] = AurousErrorCategory.PermissionDenied,
        [InsufficientCredits] = AurousErrorCategory.QuotaExceeded,
        [IdempotencyKeyInUse] = AurousErrorCategory.ResourceExists,
        [Conflict] = AurousErrorCategory.InvalidOperation,
        [RateLimitExceeded] = AurousErrorCategory.LimitsExceeded,
        [ServerError] = AurousErrorCategory.ResourceUnavailable,
        [UnexpectedResponse] = AurousErrorCategory.NotSpecified,
        [InvalidResponse] = AurousErrorCategory.InvalidData,
        [ConnectionFailed] = AurousErrorCategory.ConnectionError,
        [RequestTimedOut] = AurousErrorCategory.OperationTimeout,
        [InvalidCharacterId] = AurousErrorCategory.InvalidArgument,
        [InvalidCharacterName] = AurousErrorCategory.InvalidArgument,
        [UnknownAttribute] = AurousErrorCategory.InvalidArgument,
        [InvalidAttributeValue] = AurousErrorCategory.InvalidArgument,
        [InvalidPose] = AurousErrorCategory.InvalidArgument,
        [InvalidIdempotencyKey] = AurousErrorCategory.InvalidArgument,
        [EmptyUpdate] = AurousErrorCategory.InvalidArgument,
        [InvalidRequestPath] = AurousErrorCategory.InvalidArgument,
        [InvalidRequestBody] = AurousErrorCategory.InvalidArgument,
        [RefNotFound] = AurousErrorCategory.ObjectNotFound,
        [RefFileWriteFailed] = AurousErrorCategory.WriteError,
        [MissingApiKey] = AurousErrorCategory.AuthenticationError,
        [InsecureBaseUri] = AurousErrorCategory.InvalidArgument,
        [InvalidConfiguration] = AurousErrorCategory.InvalidArgument,
        [CharacterFailed] = AurousErrorCategory.InvalidResult,
        [WaitTimedOut] = AurousErrorCategory.OperationTimeout,
    };

    /// <summary>The category of a known ErrorId; <see cref="AurousErrorCategory.NotSpecified"/> otherwise.</summary>
    public static AurousErrorCategory CategoryOf(string errorId) =>
        Categories.TryGetValue(errorId, out var category) ? category : AurousErrorCategory.NotSpecified;

    public static AurousErrorInfo Get(string errorId) => new(errorId, CategoryOf(errorId));

    /// <summary>Classifies an HTTP error answer. The code wins where it is specific; the status decides otherwise.</summary>
    public static AurousErrorInfo FromResponse(int statusCode, string? code)
    {
        var byCode = code switch
        {
            "resource_not_found" => CharacterNotFound,
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
            404 => CharacterNotFound,
            409 => Conflict,
            429 => RateLimitExceeded,
            408 => RequestTimedOut,
            >= 500 and <= 599 => ServerError,
            _ => UnexpectedResponse,
        });
    }
}
