namespace Aurous.Emulator;

/// <summary>A finished response: what the idempotency store keeps and what the pipeline writes.</summary>
internal sealed record ApiResult(int Status, string Body)
{
    public int? RetryAfterSeconds { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public async Task WriteAsync(HttpContext context, bool replayed = false)
    {
        var response = context.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        if (RetryAfterSeconds is int seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (replayed)
        {
            response.Headers["Aurous-Idempotent-Replayed"] = "true";
        }

        await response.WriteAsync(Body, context.RequestAborted);
    }
}
