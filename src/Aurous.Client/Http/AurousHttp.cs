using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Aurous.Client.Http;

/// <summary>
/// The one IHttpClientFactory of the process, built on first use (never at type load), so every cmdlet call
/// and runspace shares pooled handlers and connections. Each (base URI, proxy) pair is its own named client;
/// all of them run the same pipeline: headers -> retry -> circuit breaker -> rate limit -> logging -> per-attempt timeout -> socket.
/// </summary>
internal static class AurousHttp
{
    private static readonly ConcurrentDictionary<string, IWebProxy?> Transports = new(StringComparer.Ordinal);
    private static readonly Lazy<IHttpClientFactory> Factory = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static HttpClient CreateClient(Uri baseUri, IWebProxy? proxy)
    {
        var name = ClientName(baseUri, proxy);
        Transports.TryAdd(name, proxy);
        var client = Factory.Value.CreateClient(name);
        client.BaseAddress = baseUri;

        // TimeoutHandler bounds each attempt; an overall HttpClient timeout would also cut retries and bucket waits short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    internal static string ClientName(Uri baseUri, IWebProxy? proxy) =>
        $"aurous|{baseUri.GetLeftPart(UriPartial.Authority)}|{ProxyIdentity(baseUri, proxy)}";

    private static IHttpClientFactory Build()
    {
        var services = new ServiceCollection();
        services.AddHttpClient();

        // The factory's own logging handlers would only cost time: our LoggingHandler is the one that redacts.
        services.ConfigureHttpClientDefaults(builder => builder.RemoveAllLoggers());
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>>(new ConfigurePipeline());
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    }

    /// <summary>
    /// Two WebProxy objects for the same address and credentials are the same transport (the module builds a
    /// fresh one per call); credentials are told apart by a hash, never held in the name.
    /// </summary>
    private static string ProxyIdentity(Uri baseUri, IWebProxy? proxy)
    {
        if (proxy is null)
        {
            return "system";
        }

        var route = proxy.IsBypassed(baseUri) ? "direct" : proxy.GetProxy(baseUri)?.AbsoluteUri ?? "direct";
        var credential = proxy.Credentials?.GetCredential(baseUri, "Basic");
        var secret = credential is null ? "none" : RateLimiterRegistry.KeyHash($"{credential.Domain}\\{credential.UserName}\0{credential.Password}");
        return $"{route}|{secret}";
    }

    private sealed class ConfigurePipeline : IConfigureNamedOptions<HttpClientFactoryOptions>
    {
        public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, HttpClientFactoryOptions options)
        {
            if (name is null || !Transports.TryGetValue(name, out var proxy))
            {
                return;
            }

            options.HttpMessageHandlerBuilderActions.Add(builder =>
            {
                builder.PrimaryHandler = CreateSocketHandler(proxy);
                builder.AdditionalHandlers.Add(new HeadersHandler());
                builder.AdditionalHandlers.Add(new RetryHandler());
                builder.AdditionalHandlers.Add(new CircuitBreakerHandler());
                builder.AdditionalHandlers.Add(new RateLimitHandler());
                builder.AdditionalHandlers.Add(new LoggingHandler());
                builder.AdditionalHandlers.Add(new TimeoutHandler());
            });
        }
    }

    /// <summary>
    /// With no explicit proxy, UseProxy's default honours the system proxy, and on .NET Core also
    /// HTTPS_PROXY/NO_PROXY; Windows PowerShell 5.1 (.NET Framework) reads only the system (WinINET) proxy.
    /// Redirects are not followed: the X-Api-Key header would go wherever the Location points.
    /// </summary>
    private static HttpMessageHandler CreateSocketHandler(IWebProxy? proxy)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
        if (proxy is not null)
        {
            handler.UseProxy = true;
            handler.Proxy = proxy;
        }

        return handler;
    }
}
