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
        new(402, InvalidRequestType, "insufficient_credits", $"This call costs {needed} credit{(needed == 1 ? "" : "s")} and the team has {available}.");

    public static ApiException CharacterNotFound() =>
        new(404, InvalidRequestType, "resource_not_found", "No such character.", "character_id");

    public static ApiException RouteNotFound(string path) =>
        new(404, InvalidRequestType, "resource_not_found", $"No route matches {path}.");

    public static ApiException MethodNotAllowed(string method, string path) =>
        new(405, InvalidRequestType, "method_not_allowed", $"{method} is not supported on {path}.");

    /// <summary><paramref name="bytes"/> is null for a chunked body, refused as soon as it grows past the limit.</summary>
    public static ApiException BodyTooLarge(long? bytes, int limit) =>
        new(413, InvalidRequestType, "request_too_large",
            (bytes is long known ? $"The request body is {known} bytes; the emulator accepts at most {limit}." : $"The request body is over {limit} bytes, the most the emulator accepts.")
            + $" Texts are at most {RequestBodies.MaxTextLength} characters each: check what the script sends.");

    public static ApiException UriTooLong(int bytes, int limit) =>
        new(414, InvalidRequestType, "uri_too_long", $"The request URI is {bytes} bytes; the emulator accepts at most {limit}. Check the path for a pasted value.");

    public static ApiException HeadersTooLarge(string message, string? header) =>
        new(431, InvalidRequestType, "headers_too_large", message, header);

    public static ApiException IdempotencyKeyInUse(string message) =>
        new(409, InvalidRequestType, "idempotency_key_in_use", message, "Idempotency-Key");

    public static ApiException RateLimited(string bucket, int retryAfterSeconds) =>
        new(429, "rate_limit_error", "rate_limit_exceeded", $"Too many requests in bucket {bucket}. Retry after {retryAfterSeconds} second(s).", null, retryAfterSeconds);

    public static ApiException Internal(string message) =>
        new(500, "api_error", "internal_error", message);
}
