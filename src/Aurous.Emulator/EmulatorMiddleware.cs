using System.Net;

namespace Aurous.Emulator;

/// <summary>
/// Wraps every request: stamps the Request-Id header, refuses requests over the size limits, keeps /_emulator
/// loopback-only, and turns anything thrown (a refused request or an unexpected bug) into the documented error
/// envelope instead of a stack trace.
/// </summary>
internal sealed class EmulatorMiddleware(RequestDelegate next, ILogger<EmulatorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = CrockfordIds.NewRequestId();
        context.Response.Headers["Request-Id"] = requestId;
        try
        {
            RequestLimits.Check(context);
            if (context.Request.Path.StartsWithSegments("/_emulator") && !IsLoopback(context.Connection.RemoteIpAddress))
            {
                throw ApiErrors.RouteNotFound(context.Request.Path);
            }

            await next(context);
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            await ex.ToResult().WriteAsync(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel refused the request body itself (broken chunking, over its size limit...).
            await new ApiException(ex.StatusCode, "invalid_request_error", "invalid_request", $"The request could not be read: {ex.Message}").ToResult().WriteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unhandled error in request {RequestId}", requestId);
            context.Response.Clear();
            context.Response.Headers["Request-Id"] = requestId;
            await ApiErrors.Internal($"An unexpected error occurred in the emulator (request {requestId}).").ToResult().WriteAsync(context);
        }
    }

    /// <summary>Routing found nothing (404) or not this method (405): answer in the envelope too.</summary>
    public static Task WriteStatusEnvelopeAsync(HttpContext context)
    {
        var request = context.Request;
        var error = context.Response.StatusCode == 405
            ? ApiErrors.MethodNotAllowed(request.Method, request.Path)
            : ApiErrors.RouteNotFound(request.Path);
        return error.ToResult().WriteAsync(context);
    }

    private static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);
}
