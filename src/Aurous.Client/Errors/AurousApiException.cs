using System;

namespace Aurous.Client;

/// <summary>The server answered with an error (or never answered: <see cref="StatusCode"/> 0).</summary>
public sealed class AurousApiException : AurousException
{
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
        Exception? innerException = null)
        : base(message, errorId, category, innerException)
    {
        StatusCode = statusCode;
        Type = type;
        Code = code;
        Param = param;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }
    public string? Type { get; }
    public string? Code { get; }
    public string? Param { get; }
    public string? RequestId { get; }
    public TimeSpan? RetryAfter { get; }
}
