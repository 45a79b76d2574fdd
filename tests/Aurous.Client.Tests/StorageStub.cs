using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aurous.Client.Tests;

/// <summary>
/// A storage host that is not the API: a loopback server on "localhost" (the API is reached as 127.0.0.1, so it is
/// another host to the client) that records every request's headers and answers as each test tells it to.
/// </summary>
public sealed class StorageStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StorageStub(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>Each request as (path and query, headers), in arrival order.</summary>
    public ConcurrentQueue<(string Target, IDictionary<string, string> Headers)> Requests { get; } = new();

    /// <summary>The 1x1 PNG the stub serves as a ref image.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <param name="handler">Gets the request and how many requests reached the stub before it (0 for the first).</param>
    public static async Task<StorageStub> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StorageStub? stub = null;
        app.Run(context =>
        {
            var count = stub!.Requests.Count;
            stub.Requests.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return handler(context, count);
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        stub = new StorageStub(app, new Uri($"http://localhost:{port}/"));
        return stub;
    }

    public static Task ServePng(HttpContext context)
    {
        context.Response.ContentType = "image/png";
        return context.Response.Body.WriteAsync(Png).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
