using System;
using System.Net.Http;

namespace Aurous.Client.Http;

/// <summary>
/// What one logical call carries through the shared handler pipeline: the caller's options (log sink,
/// retry policy, clock), its bucket and idempotency key. Handlers are pooled across callers, so they
/// keep nothing per call themselves; they read and write this object on <see cref="HttpRequestMessage.Properties"/>.
/// </summary>
internal sealed class AurousRequestContext
{
    private const string PropertyKey = "Aurous.RequestContext";

    public AurousRequestContext(AurousClientOptions options, string bucketScope, string? bucket, string? idempotencyKey, bool safeToRepeat, string userAgent)
    {
        Options = options;
        BucketScope = bucketScope;
        Bucket = bucket;
        IdempotencyKey = idempotencyKey;
        SafeToRepeat = safeToRepeat;
        UserAgent = userAgent;
    }

    public AurousClientOptions Options { get; }

    /// <summary>Base URI plus a hash of the key: identifies the team's buckets without holding the key.</summary>
    public string BucketScope { get; }

    /// <summary>The client-side bucket the request draws from; null for ref image downloads, which the API does not limit.</summary>
    public string? Bucket { get; }

    /// <summary>
    /// A ref image download: the URL carries its own token and may point at another host, so no key, version or
    /// idempotency header goes with it, and neither its query (the token) nor its bytes are logged.
    /// </summary>
    public bool IsDownload { get; set; }

    /// <summary>
    /// The most of the answer's body to read, for images shown from memory; null reads it all. A body announced as
    /// larger is left unread, and one that grows past it is read to one byte more: either way the caller sees the
    /// excess and refuses the answer, without the whole of it ever being held.
    /// </summary>
    public long? MaxBodyBytes { get; set; }

    /// <summary>The ErrorId a 404 (resource_not_found) gets: CharacterNotFound, unless the route is about something else.</summary>
    public string NotFoundErrorId { get; set; } = AurousErrors.CharacterNotFound;

    public string? IdempotencyKey { get; }

    /// <summary>
    /// Whether sending the request twice does no harm (reads, PATCH, save, delete, or a paid call with a key).
    /// A paid call without a key is retried only when the server cannot have acted on it.
    /// </summary>
    public bool SafeToRepeat { get; }

    public string UserAgent { get; }

    public int Attempts { get; set; }

    /// <summary>
    /// An attempt may have reached the server and its answer was lost (dropped connection, timeout, 5xx). Stays set
    /// through later 429s, which say nothing about earlier attempts; cleared by any other answer.
    /// </summary>
    public bool OutcomeUnknown { get; set; }

    /// <summary>Time the current attempt spent waiting for a client-side bucket token.</summary>
    public TimeSpan BucketWait { get; set; }

    /// <summary>Every attempt's bucket waits together: pacing, which the retry budget does not count.</summary>
    public TimeSpan TotalBucketWait { get; set; }

    /// <summary>The endpoint as waits name it: the host, and the port when it is not the scheme's default.</summary>
    public string Host => Options.BaseUri.Authority;

    public static AurousRequestContext From(HttpRequestMessage request) =>
        request.Properties.TryGetValue(PropertyKey, out var value) && value is AurousRequestContext context
            ? context
            : throw new InvalidOperationException("The Aurous handler pipeline only serves requests built by AurousClient.");

    public void AttachTo(HttpRequestMessage request) => request.Properties[PropertyKey] = this;

    public void Log(AurousLogLevel level, string message, AurousWait? wait = null) =>
        Options.Log?.Invoke(new AurousLogEvent(level, AurousRedactor.Redact(message, Options.ApiKey), wait));
}
