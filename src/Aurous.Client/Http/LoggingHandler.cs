using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// One Verbose line per attempt (method, path, status, request id, attempt, elapsed, replay flag, bucket wait)
/// and, when asked, Debug lines with the bodies. Every line passes through <see cref="AurousRedactor"/>.
/// </summary>
internal sealed class LoggingHandler : DelegatingHandler
{
    public const string RequestIdHeader = "Request-Id";
    public const string ReplayedHeader = "Aurous-Idempotent-Replayed";

    // Not async without a sink, so a silent client costs no state machine per request.
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        return context.Options.Log is null
            ? base.SendAsync(request, cancellationToken)
            : SendLoggedAsync(request, context, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendLoggedAsync(HttpRequestMessage request, AurousRequestContext context, CancellationToken cancellationToken)
    {
        var target = $"{request.Method} {Describe(request.RequestUri, context.IsDownload)}";
        var logBodies = context.Options.LogBodies && !context.IsDownload;
        if (logBodies && request.Content is not null)
        {
            context.Log(AurousLogLevel.Debug, $"{target} request body: {await request.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            context.Log(AurousLogLevel.Verbose, $"{target} -> {e.GetType().Name}: {e.Message} attempt {context.Attempts} in {Elapsed.Format(Elapsed.Since(started))}{BucketNote(context)}");
            throw;
        }

        var line = new StringBuilder()
            .Append(target).Append(" -> ").Append((int)response.StatusCode)
            .Append(" (").Append(Header(response, RequestIdHeader) ?? "no request id").Append(')')
            .Append(" attempt ").Append(context.Attempts)
            .Append(" in ").Append(Elapsed.Format(Elapsed.Since(started)));
        if (string.Equals(Header(response, ReplayedHeader), "true", StringComparison.OrdinalIgnoreCase))
        {
            line.Append(" [replayed]");
        }

        context.Log(AurousLogLevel.Verbose, line.Append(BucketNote(context)).ToString());
        if (logBodies && response.Content is not null)
        {
            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            context.Log(AurousLogLevel.Debug, $"{target} response body: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }

        return response;
    }

    /// <summary>
    /// The path and query of an API call; for a download the host (it may not be the API's) and the path, with the
    /// query, which holds the token, masked whatever its parameter names.
    /// </summary>
    internal static string Describe(Uri? uri, bool isDownload)
    {
        if (uri is null)
        {
            return "";
        }

        if (!isDownload)
        {
            return uri.PathAndQuery;
        }

        var where = uri.GetLeftPart(UriPartial.Path);
        return string.IsNullOrEmpty(uri.Query) ? where : where + "?" + AurousRedactor.Mask;
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string BucketNote(AurousRequestContext context) =>
        context.BucketWait >= TimeSpan.FromMilliseconds(1)
            ? $" [waited {Elapsed.Format(context.BucketWait)} for bucket {context.Bucket}]"
            : "";
}
