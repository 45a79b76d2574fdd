using System;
using System.Net;

namespace Aurous.Client;

/// <summary>How an <see cref="AurousClient"/> reaches the API. Cheap to build per call; validated by <see cref="Validate"/>.</summary>
public sealed class AurousClientOptions
{
    public static readonly Uri DefaultBaseUri = new("https://api.aurous-labs.com/");

    /// <summary>The team key (al_live_…). Never printed: see <see cref="ToString"/>.</summary>
    public string? ApiKey { get; set; }

    public Uri BaseUri { get; set; } = DefaultBaseUri;

    /// <summary>Aurous-Version pin (YYYY-MM-DD); null lets the server use the team's pinned version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Per-attempt timeout; a timed-out attempt is retried like a connection failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public AurousRetryPolicy Retry { get; set; } = new();

    public AurousRateLimits RateLimits { get; set; } = new();

    /// <summary>Host shown in the User-Agent, e.g. "PowerShell Core 7.4.6".</summary>
    public string? HostDescription { get; set; }

    /// <summary>Overrides the system proxy and HTTPS_PROXY/NO_PROXY when set.</summary>
    public IWebProxy? Proxy { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Receives already-redacted Verbose and Debug lines.</summary>
    public Action<AurousLogEvent>? Log { get; set; }

    public void Validate() => throw new NotImplementedException();

    public override string ToString() => throw new NotImplementedException();
}
