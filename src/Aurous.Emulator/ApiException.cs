namespace Aurous.Emulator;

/// <summary>
/// A request the emulator refuses. Carries everything the Stripe-style envelope needs, so any layer can
/// stop a request with one throw and the pipeline renders it the same way everywhere.
/// </summary>
internal sealed class ApiException(int status, string type, string code, string message, string? param = null, int? retryAfterSeconds = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string Code { get; } = code;

    public string? Param { get; } = param;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    public ApiResult ToResult()
    {
        var result = new ApiResult(Status, EmulatorJson.Serialize(new ErrorEnvelope(new ErrorBody(Type, Code, Message, Param))));
        return RetryAfterSeconds is int seconds ? result with { RetryAfterSeconds = seconds } : result;
    }
}

internal sealed record ErrorEnvelope(ErrorBody Error);

internal sealed record ErrorBody(string Type, string Code, string Message, string? Param);
