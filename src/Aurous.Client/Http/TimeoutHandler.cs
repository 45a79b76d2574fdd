using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Bounds one attempt (not the bucket wait, not the backoff) by RequestTimeout on the injected clock, and
/// turns its own expiry into <see cref="TimeoutException"/> so it is never mistaken for the caller cancelling.
/// </summary>
internal sealed class TimeoutHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = AurousRequestContext.From(request);
        var timeout = context.Options.RequestTimeout;
        var time = context.Options.TimeProvider;

        // On the system clock one linked source with CancelAfter does; another clock needs its own timer source.
        using var clockSource = time == TimeProvider.System ? null : time.CreateCancellationTokenSource(timeout);
        using var linked = clockSource is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, clockSource.Token);
        if (clockSource is null)
        {
            linked.CancelAfter(timeout);
        }

        try
        {
            var response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);

            // Inside the attempt, so a connection dropped mid-body is retried like any transport failure and the
            // timeout covers the whole answer, not only its headers.
            if (context.MaxBodyBytes is long max)
            {
                await BufferAtMostAsync(response, max).ConfigureAwait(false);
            }
            else
            {
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            }

            return response;
        }
        catch (OperationCanceledException e) when (linked.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {timeout.TotalSeconds:0.###} s.", e);
        }
    }

    private static async Task BufferAtMostAsync(HttpResponseMessage response, long max)
    {
        var original = response.Content;
        if (original.Headers.ContentLength > max)
        {
            return;
        }

        var buffer = new MemoryStream();
        using (var body = await original.ReadAsStreamAsync().ConfigureAwait(false))
        {
            var chunk = new byte[81920];
            int read;
            while (buffer.Length <= max && (read = await body.ReadAsync(chunk, 0, (int)Math.Min(chunk.Length, max + 1 - buffer.Length)).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        var content = new ByteArrayContent(buffer.ToArray());
        foreach (var header in original.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        content.Headers.ContentLength = buffer.Length;
        response.Content = content;
        original.Dispose();
    }
}
