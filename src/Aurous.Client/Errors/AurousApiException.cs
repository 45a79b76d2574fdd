using System;

namespace Aurous.Client;

/// <summary>The server answered with an error (or never answered: <see cref="StatusCode"/> 0).</summary>
public sealed class AurousApiException : AurousException
{
    private string? _outcome;

    public AurousApiException(
        string message,
        string errorId,
        AurousErrorCategory category,
        int statusCode,
        string? type = null,
        string? code = null,
        string? param = null,
        string? requestId = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null,
        string? reason = null)
        : base(message, errorId, category, innerException)
    {
        StatusCode = statusCode;
        Type = type;
        Code = code;
        Param = param;
        RequestId = requestId;
        RetryAfter = retryAfter;
        Reason = reason;
    }

    public int StatusCode { get; }
    public string? Type { get; }
    public string? Code { get; }
    public string? Param { get; }
    public string? RequestId { get; }
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The Idempotency-Key the failed paid call carried (given or generated); null for calls that charge nothing.
    /// Sending the same call again with it finishes the call without charging twice.
    /// </summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>
    /// The server may have acted on the call, charged for it included, but its answer never arrived (a dropped
    /// connection, a timeout, a 5xx), or arrived unreadable.
    /// </summary>
    public bool OutcomeUnknown { get; private set; }

    public override string Message => _outcome is null ? base.Message : $"{base.Message}{(base.Message.EndsWith(".", StringComparison.Ordinal) ? "" : ".")} {_outcome}";

    /// <summary>Records what a paid call's caller needs to finish it, in the properties and in the message.</summary>
    internal AurousApiException ForPaidCall(string idempotencyKey, bool outcomeUnknown, string? apiKey)
    {
        IdempotencyKey = idempotencyKey;
        OutcomeUnknown = outcomeUnknown;
        _outcome = AurousRedactor.Redact(
            outcomeUnknown
                ? $"It may have been charged; its idempotency key is '{idempotencyKey}', and a repeat with that key cannot charge twice."
                : $"This call charged nothing (idempotency key '{idempotencyKey}').",
            apiKey);
        return this;
    }

    /// <summary>The cause alone, in a few words: the server's message, or the network's ("Connection refused").</summary>
    public string? Reason { get; }
}
