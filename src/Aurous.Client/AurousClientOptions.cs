using System;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>How an <see cref="AurousClient"/> reaches the API. Cheap to build per call; checked by <see cref="Validate"/>.</summary>
public sealed class AurousClientOptions
{
    public static readonly Uri DefaultBaseUri = new("https://api.aurous-labs.com/");

    private const string KeyPrefix = "al_live_";

    /// <summary>The team key (al_live_…). Never printed (see <see cref="MaskApiKey"/>) nor serialised.</summary>
    [JsonIgnore]
    public string? ApiKey { get; set; }

    /// <summary>https, or plain http to a loopback host only, so a key never crosses a network in clear.</summary>
    public Uri BaseUri { get; set; } = DefaultBaseUri;

    /// <summary>Aurous-Version pin (YYYY-MM-DD); null lets the server use the team's pinned version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Per attempt; a timed-out attempt is retried like a connection failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public AurousRetryPolicy Retry { get; set; } = new();

    /// <summary>
    /// How long an endpoint may go without answering any attempt before this process stops sending to it: calls then
    /// fail at once (ConnectionFailed) until it answers again, one call every few seconds trying it. Shared by the
    /// whole process per endpoint; the same bound as a wait's <see cref="CharacterWaitOptions.DefaultUnreachableTimeout"/>.
    /// </summary>
    public TimeSpan UnreachableTimeout { get; set; } = CharacterWaitOptions.DefaultUnreachableTimeout;

    public AurousRateLimits RateLimits { get; set; } = new();

    /// <summary>Host shown in the User-Agent, e.g. "PowerShell Core 7.4.6".</summary>
    public string? HostDescription { get; set; }

    /// <summary>Overrides the system proxy and HTTPS_PROXY/NO_PROXY when set.</summary>
    [JsonIgnore]
    public IWebProxy? Proxy { get; set; }

    /// <summary>Clock for retry backoff, timeouts and wait schedules; tests substitute a fake one.</summary>
    [JsonIgnore]
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Receives already-redacted Verbose lines (one per attempt) and Debug lines (bodies).</summary>
    [JsonIgnore]
    public Action<AurousLogEvent>? Log { get; set; }

    /// <summary>Whether Debug events with request and response bodies are produced; off saves the copies.</summary>
    public bool LogBodies { get; set; } = true;

    /// <exception cref="AurousConfigurationException">with an ErrorId from <see cref="AurousErrors"/>.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw Invalid(AurousErrors.MissingApiKey, "No API key: pass one or set AUROUS_API_KEY.");
        }

        foreach (var c in ApiKey!)
        {
            if (c <= 0x20 || c >= 0x7F)
            {
                throw Invalid(AurousErrors.InvalidConfiguration, "The API key contains spaces or non-printable characters; check how it was copied.");
            }
        }

        if (BaseUri is null || !BaseUri.IsAbsoluteUri)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "The base URI must be absolute, e.g. https://api.aurous-labs.com/.");
        }

        if (!string.IsNullOrEmpty(BaseUri.UserInfo))
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "The base URI must not carry a user name or password; the API key is the only credential.");
        }

        if (BaseUri.Scheme == Uri.UriSchemeHttp && !BaseUri.IsLoopback)
        {
            throw Invalid(AurousErrors.InsecureBaseUri, $"Refusing plain http to {BaseUri.Host}: the API key would cross the network in clear. Use https (plain http is allowed to localhost only).");
        }

        if (BaseUri.Scheme != Uri.UriSchemeHttp && BaseUri.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, $"The base URI must be http(s); got '{BaseUri.Scheme}'.");
        }

        // A path is kept (an API mounted under a gateway prefix); a query or fragment has no place to go.
        if (BaseUri.Query.Length > 0 || BaseUri.Fragment.Length > 0)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, $"The base URI must not have a query or fragment, such as https://gateway.example.com/aurous/; got {AurousMessages.Quote(BaseUri.OriginalString)}.");
        }

        try
        {
            if (ApiVersion is not null)
            {
                AurousValidation.ApiVersion(ApiVersion);
            }

            if (Proxy is WebProxy { Address: { } proxyAddress })
            {
                AurousValidation.Proxy(proxyAddress);
            }
        }
        catch (AurousValidationException e)
        {
            throw Invalid(e.ErrorId, e.Message);
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "The request timeout must be positive.");
        }

        if (UnreachableTimeout <= TimeSpan.Zero)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "The unreachable timeout must be positive.");
        }

        if (Retry is null || Retry.MaxAttempts < 1 || Retry.BaseDelay < TimeSpan.Zero || Retry.MaxDelay < Retry.BaseDelay || Retry.MaxElapsed < TimeSpan.Zero)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "The retry policy needs at least 1 attempt and non-negative delays (MaxDelay >= BaseDelay).");
        }

        if (RateLimits is null || !IsValid(RateLimits.CharactersGet) || !IsValid(RateLimits.CharactersPost) || !IsValid(RateLimits.CharactersSynthesize))
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "Every rate-limit bucket needs a positive burst and a positive rate per minute.");
        }

        if (!string.IsNullOrEmpty(RateLimits.Store))
        {
            OpenStore(RateLimits.Store!);
        }

        if (TimeProvider is null)
        {
            throw Invalid(AurousErrors.InvalidConfiguration, "A TimeProvider is required (TimeProvider.System by default).");
        }
    }

    /// <summary>
    /// Shows "al_live_" and, for keys long enough that 4 characters give nothing useful away (over 20),
    /// the last 4, so two keys can be told apart; everything else is "***".
    /// </summary>
    public static string MaskApiKey(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return "(none)";
        }

        var prefix = apiKey!.StartsWith(KeyPrefix, StringComparison.Ordinal) ? KeyPrefix : "";
        var tail = apiKey.Length > 20 ? apiKey.Substring(apiKey.Length - 4) : "";
        return prefix + AurousRedactor.Mask + tail;
    }

    public override string ToString() =>
        $"BaseUri={BaseUri}, ApiKey={MaskApiKey(ApiKey)}, ApiVersion={ApiVersion ?? "(team default)"}, RequestTimeout={RequestTimeout.TotalSeconds:0.###}s, Retry={Retry?.MaxAttempts} attempts, RateLimits={(RateLimits?.Enabled == true ? "on" : "off")}{(string.IsNullOrEmpty(RateLimits?.Store) ? "" : $", RateLimitStore={AurousRateLimits.MaskStore(RateLimits!.Store)}")}, Proxy={(Proxy is null ? "system" : "explicit")}";

    // Its own method, so that StackExchange.Redis is loaded only when a store is configured. A store that can be
    // read is also connected to, in the background, so that the first call finds it ready.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenStore(string store)
    {
        try
        {
            Http.RedisStoreConnection.Open(store);
        }
        catch (ArgumentException e)
        {
            var message = $"The rate-limit store {AurousRateLimits.MaskStore(store)} is not a StackExchange.Redis configuration such as redis.example.com:6380,password=…,ssl=true: {e.Message}";
            throw Invalid(AurousErrors.InvalidConfiguration, AurousRedactor.Redact(message, AurousRateLimits.StorePasswords(store)));
        }
    }

    /// <summary>A shallow copy, for a call that needs other retry or timeout settings than the rest.</summary>
    internal AurousClientOptions Clone() => (AurousClientOptions)MemberwiseClone();

    private static bool IsValid(AurousBucketLimit? limit) => limit is not null && limit.Burst > 0 && limit.PerMinute > 0;

    private static AurousConfigurationException Invalid(string errorId, string message) => new(message, errorId);
}
