namespace Aurous.Emulator;

/// <summary>
/// Every error the emulator sends, in one place. Type/code choices: see README "Contract choices".
/// </summary>
internal static class ApiErrors
{
    private const string InvalidRequestType = "invalid_request_error";

    public static ApiException InvalidRequest(string message, string? param) =>
        new(400, InvalidRequestType, "invalid_request", message, param);

    public static ApiException InvalidState(string message) =>
        new(400, InvalidRequestType, "invalid_request", message, "character_id");

    public static ApiException MissingApiKey() =>
        new(401, "authentication_error", "missing_api_key", "No API key provided. Send your team key in the X-Api-Key header.", "X-Api-Key");

    public static ApiException UnknownApiKey() =>
        new(401, "authentication_error", "invalid_api_key", "The API key provided is not valid.", "X-Api-Key");

    public static ApiException InsufficientCredits(int needed, int available) =>
        new(402, InvalidRequestType, "insufficient_credits", $"This call costs {needed} credit(s) and the team has {available}.");

    public static ApiException CharacterNotFound() =>
        new(404, InvalidRequestType, "resource_not_found", "No such character.", "character_id");

    public static ApiException RouteNotFound(string path) =>
        new(404, InvalidRequestType, "resource_not_found", $"No route matches {path}.");

    public static ApiException MethodNotAllowed(string method, string path) =>
        new(405, InvalidRequestType, "method_not_allowed", $"{method} is not supported on {path}.");

    public static ApiException IdempotencyKeyInUse(string message) =>
        new(409, InvalidRequestType, "idempotency_key_in_use", message, "Idempotency-Key");

    public static ApiException RateLimited(string bucket, int retryAfterSeconds) =>
        new(429, "rate_limit_error", "rate_limit_exceeded", $"Too many requests in bucket {bucket}. Retry after {retryAfterSeconds} second(s).", null, retryAfterSeconds);

    public static ApiException Internal(string message) =>
        new(500, "api_error", "internal_error", message);
}
