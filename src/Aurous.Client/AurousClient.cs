using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client.Http;
using Aurous.Client.Serialization;
using Aurous.Client.Waiting;

namespace Aurous.Client;

/// <summary>
/// Typed access to the character API. Cheap to build per call: the HTTP pipeline (IHttpClientFactory) and the
/// client-side buckets are process-wide and shared. Input is checked before any request; every paid call
/// (create, resynthesize, regenerate) carries an Idempotency-Key, generated when the caller gives none.
/// </summary>
public sealed partial class AurousClient : IDisposable
{
    private static readonly HttpMethod Patch = new("PATCH");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly string ProductToken = "Aurous.PowerShell/" + ClientVersion();

    private readonly HttpClient _http;
    private readonly string _bucketScope;
    private readonly string _userAgent;

    /// <exception cref="AurousConfigurationException">when <see cref="AurousClientOptions.Validate"/> refuses the options.</exception>
    public AurousClient(AurousClientOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _http = AurousHttp.CreateClient(Mounted(options.BaseUri), options.Proxy);
        _bucketScope = RateLimiterRegistry.Scope(options.BaseUri, options.ApiKey!);
        _userAgent = $"{ProductToken} ({options.HostDescription ?? RuntimeInformation.FrameworkDescription.Trim()}; {RuntimeInformation.OSDescription.Trim()})";
    }

    /// <summary>Not exposed: it holds the key.</summary>
    private AurousClientOptions Options { get; }

    public Task<Character> GetCharacterAsync(string id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, CharacterPath(id), null, AurousRateLimits.CharactersGetBucket, null, ct);

    /// <summary>PATCH: only the fields set on <paramref name="update"/> are sent; attributes replace the whole stored object.</summary>
    public Task<Character> UpdateCharacterAsync(string id, CharacterUpdate update, CancellationToken ct = default)
    {
        var path = CharacterPath(id);
        if (update is null || (update.Name is null && update.Attributes is null))
        {
            throw new AurousValidationException("Nothing to update: give a name, attributes or both.", AurousErrors.EmptyUpdate, nameof(update));
        }

        if (update.Name is not null)
        {
            AurousValidation.Name(update.Name);
        }

        return SendAsync(Patch, path, Body(update, AurousJsonContext.Default.CharacterUpdate), AurousRateLimits.CharactersPostBucket, null, ct);
    }

    public Task<Character> SaveCharacterAsync(string id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, CharacterPath(id) + "/save", null, AurousRateLimits.CharactersPostBucket, null, ct);

    /// <summary>Spends 4 generations. The result's LastResponse carries the idempotency key used and whether the server replayed.</summary>
    public Task<Character> ResynthesizeCharacterAsync(string id, ResynthesizeRequest? request = null, CancellationToken ct = default)
    {
        var path = CharacterPath(id) + "/resynthesize";
        request ??= new ResynthesizeRequest();
        var key = IdempotencyKeyFor(request.IdempotencyKey);
        return SendAsync(HttpMethod.Post, path, Body(request, AurousJsonContext.Default.ResynthesizeRequest), AurousRateLimits.CharactersSynthesizeBucket, key, ct);
    }

    /// <summary>Spends 1 generation.</summary>
    public Task<Character> RegenerateRefAsync(string id, RegenerateRefRequest request, CancellationToken ct = default)
    {
        var path = CharacterPath(id) + "/refs/regenerate";
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        AurousValidation.Pose(request.Pose);
        var key = IdempotencyKeyFor(request.IdempotencyKey);
        return SendAsync(HttpMethod.Post, path, Body(request, AurousJsonContext.Default.RegenerateRefRequest), AurousRateLimits.CharactersSynthesizeBucket, key, ct);
    }

    /// <summary>Spends 4 generations (emulator endpoint; the public docs reference it without specifying it).</summary>
    public Task<Character> CreateCharacterAsync(CharacterCreate request, CancellationToken ct = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        AurousValidation.Name(request.Name);
        var key = IdempotencyKeyFor(request.IdempotencyKey);
        return NamedAsync(SendAsync(HttpMethod.Post, "v1/characters", Body(request, AurousJsonContext.Default.CharacterCreate), AurousRateLimits.CharactersSynthesizeBucket, key, ct), request.Name);
    }

    /// <summary>
    /// Changes only the attributes set on <paramref name="changes"/> (and the name, when given): reads the character,
    /// merges, and sends the whole attribute object, since the API replaces it. Such changes to one character through
    /// this process (any client, any runspace) run one at a time, so concurrent per-field changes never overwrite each
    /// other. Other processes are not seen: the API has no conditional update.
    /// </summary>
    public async Task<Character> UpdateCharacterFieldsAsync(string id, string? name, CharacterAttributes changes, CancellationToken ct = default)
    {
        AurousValidation.CharacterId(id);
        if (name is not null)
        {
            AurousValidation.Name(name);
        }

        if (changes is null || (name is null && changes.SetFields().Count == 0))
        {
            throw new AurousValidationException("Nothing to update: give a name, an attribute or both.", AurousErrors.EmptyUpdate, nameof(changes));
        }

        using (await CharacterLocks.AcquireAsync($"{_bucketScope}|{id}", ct).ConfigureAwait(false))
        {
            var current = await GetCharacterAsync(id, ct).ConfigureAwait(false);
            var merged = (current.Attributes ?? new CharacterAttributes()).MergeWith(changes);
            return await UpdateCharacterAsync(id, new CharacterUpdate { Name = name, Attributes = merged }, ct).ConfigureAwait(false);
        }
    }

    public async Task DeleteCharacterAsync(string id, CancellationToken ct = default)
    {
        var path = CharacterPath(id);
        using var response = await SendRawAsync(HttpMethod.Delete, path, null, AurousRateLimits.CharactersPostBucket, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of the team's characters, newest first (GET /v1/characters, limit 1 to 100, after the id
    /// <paramref name="startingAfter"/>). Deleted characters are never listed.
    /// </summary>
    public async Task<CharacterList> ListCharactersPageAsync(int limit = CharacterList.MaxLimit, string? startingAfter = null, CancellationToken ct = default)
    {
        var path = ListPath(limit, startingAfter);
        using var response = await SendRawAsync(HttpMethod.Get, path, null, AurousRateLimits.CharactersGetBucket, null, ct).ConfigureAwait(false);
        var page = await ReadAsync(response, AurousJsonContext.Default.CharacterList, "a list of characters").ConfigureAwait(false);
        if (page.Data is null || (page.Object.Length > 0 && page.Object != "list"))
        {
            throw AurousApiErrors.InvalidResponse(response, $"expected {{\"object\":\"list\",\"data\":[…]}}, got object '{page.Object}'{(page.Data is null ? " without data" : "")}", Options);
        }

        var info = ResponseInfo(response, null);
        page.LastResponse = info;
        foreach (var character in page.Data)
        {
            if (string.IsNullOrEmpty(character?.Id))
            {
                throw AurousApiErrors.InvalidResponse(response, "a listed character has no id", Options);
            }

            character!.LastResponse = info;
        }

        return page;
    }

    /// <summary>
    /// Every character of the team that passes <paramref name="options"/>' filters, newest first, requesting
    /// the next page only when the caller has used the last one, so stopping early costs no further calls.
    /// </summary>
    public IAsyncEnumerable<Character> ListCharactersAsync(CharacterListOptions? options = null, CancellationToken ct = default)
    {
        options ??= new CharacterListOptions();
        var pageSize = PageSize(options.PageSize);
        var statuses = options.Statuses is { Count: > 0 } wanted ? new HashSet<CharacterStatus>(wanted) : null;
        return ListAllAsync(pageSize, c => (statuses is null || statuses.Contains(c.State)) && (options.Where?.Invoke(c) ?? true), ct);
    }

    /// <summary>
    /// Polls every id at once and yields each as it reaches reviewing, ready or failed, vanishes (404), the timeout
    /// passes, or the server has not answered for the unreachable timeout (30 s by default, with or without a timeout);
    /// duplicates are waited for once. Failing polls raise a Warning log event naming the server. Ids and times are
    /// checked before any request.
    /// </summary>
    public IAsyncEnumerable<CharacterWaitResult> WaitForCharactersAsync(IEnumerable<string> ids, CharacterWaitOptions? options = null, CancellationToken ct = default)
    {
        if (ids is null)
        {
            throw new ArgumentNullException(nameof(ids));
        }

        var distinct = ids.Select(id => AurousValidation.CharacterId(id)).Distinct(StringComparer.Ordinal).ToList();
        var interval = AurousValidation.PollInterval(options?.PollInterval ?? PollSchedule.DefaultInterval, nameof(CharacterWaitOptions.PollInterval));
        var timeout = options?.Timeout is { } limit ? AurousValidation.WaitTime(limit, nameof(CharacterWaitOptions.Timeout)) : (TimeSpan?)null;
        var unreachable = AurousValidation.WaitTime(options?.UnreachableTimeout ?? CharacterWaitOptions.DefaultUnreachableTimeout, nameof(CharacterWaitOptions.UnreachableTimeout));

        return PollAsync(distinct, interval, timeout, unreachable, ct);
    }

    public void Dispose() => _http.Dispose();

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(10);

    /// <summary>HttpClient resolves relative paths against the base URI's last '/', so a mount path keeps its slash.</summary>
    private static Uri Mounted(Uri baseUri) =>
        baseUri.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? baseUri : new UriBuilder(baseUri) { Path = baseUri.AbsolutePath + "/" }.Uri;

    /// <summary>
    /// The wait itself, run only when enumerated. Polls go through a client of their own, made here and disposed when
    /// the wait ends: not retried and waiting at most <see cref="PollTimeout"/>, since the waiter polls again anyway and a
    /// poll stuck in retries or a long timeout would keep a failure from being reported at once.
    /// </summary>
    private async IAsyncEnumerable<CharacterWaitResult> PollAsync(IReadOnlyList<string> ids, TimeSpan interval, TimeSpan? timeout, TimeSpan unreachable, [EnumeratorCancellation] CancellationToken ct)
    {
        var pollOptions = Options.Clone();
        pollOptions.Retry = AurousRetryPolicy.None;
        pollOptions.RequestTimeout = Options.RequestTimeout < PollTimeout ? Options.RequestTimeout : PollTimeout;
        using var polling = new AurousClient(pollOptions);
        var waiter = new CharacterWaiter(
            polling.GetCharacterAsync,
            new PollSchedule(interval, Options.RateLimits.CharactersGet),
            Options.TimeProvider,
            Options.BaseUri,
            Log);
        await foreach (var result in waiter.WaitAsync(ids, timeout, unreachable, ct).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>A line for the caller's log, redacted; the handlers log through their request's context instead.</summary>
    private void Log(AurousLogLevel level, string message) =>
        Options.Log?.Invoke(new AurousLogEvent(level, AurousRedactor.Redact(message, Options.ApiKey)));

    /// <summary>Fills in the name on errors from a create, the one call whose character has no id yet.</summary>
    private static async Task<Character> NamedAsync(Task<Character> call, string name)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (AurousException e) when (e.CharacterId is null && e.CharacterName is null)
        {
            e.CharacterName = name;
            throw;
        }
    }

    private static string CharacterPath(string id) => "v1/characters/" + Uri.EscapeDataString(AurousValidation.CharacterId(id));

    private static int PageSize(int limit) =>
        limit >= CharacterList.MinLimit && limit <= CharacterList.MaxLimit
            ? limit
            : throw new AurousValidationException($"A page holds {CharacterList.MinLimit} to {CharacterList.MaxLimit} characters; got {limit}.", AurousErrors.InvalidConfiguration, nameof(limit));

    private static string ListPath(int limit, string? startingAfter)
    {
        var path = "v1/characters?limit=" + PageSize(limit).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return startingAfter is null ? path : path + "&starting_after=" + Uri.EscapeDataString(AurousValidation.CharacterId(startingAfter, nameof(startingAfter)));
    }

    private async IAsyncEnumerable<Character> ListAllAsync(int pageSize, Func<Character, bool> keep, [EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        while (true)
        {
            var page = await ListCharactersPageAsync(pageSize, cursor, ct).ConfigureAwait(false);
            foreach (var character in page.Data!)
            {
                if (keep(character))
                {
                    yield return character;
                }
            }

            if (!page.HasMore)
            {
                yield break;
            }

            var last = page.Data!.Count == 0 ? null : page.Data[page.Data.Count - 1].Id;
            if (last is null || last == cursor)
            {
                // Asking again with the same cursor would loop for ever.
                throw new AurousApiException($"The server said more characters follow {cursor ?? "the first page"} but sent none (request id {page.LastResponse?.RequestId ?? "none"}).", AurousErrors.InvalidResponse, AurousErrors.CategoryOf(AurousErrors.InvalidResponse), page.LastResponse?.StatusCode ?? 0, requestId: page.LastResponse?.RequestId);
            }

            cursor = last;
        }
    }

    private static string IdempotencyKeyFor(string? given) =>
        given is null ? Guid.NewGuid().ToString("D") : AurousValidation.IdempotencyKey(given);

    private static HttpContent Body<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = Json;
        return content;
    }

    private async Task<Character> SendAsync(HttpMethod method, string path, HttpContent? body, string bucket, string? idempotencyKey, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, bucket, idempotencyKey, ct).ConfigureAwait(false);
        Character character;
        try
        {
            character = await ReadAsync(response, AurousJsonContext.Default.Character, "a character").ConfigureAwait(false);
            if (string.IsNullOrEmpty(character.Id))
            {
                throw AurousApiErrors.InvalidResponse(response, "the body has no character id", Options);
            }
        }
        catch (AurousApiException e) when (idempotencyKey is not null)
        {
            // A success the client could not read was still charged: its key gets the result without paying again.
            throw e.ForPaidCall(idempotencyKey, outcomeUnknown: true, Options.ApiKey);
        }

        character.LastResponse = ResponseInfo(response, idempotencyKey);
        return character;
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, string what)
        where T : class
    {
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo)
                ?? throw AurousApiErrors.InvalidResponse(response, $"the body is not {what} (null)", Options);
        }
        catch (JsonException e)
        {
            throw AurousApiErrors.InvalidResponse(response, $"the body is not {what} ({e.Message})", Options);
        }
    }

    private static AurousResponseInfo ResponseInfo(HttpResponseMessage response, string? idempotencyKey) => new()
    {
        RequestId = LoggingHandler.Header(response, LoggingHandler.RequestIdHeader),
        IdempotencyKey = idempotencyKey,
        Replayed = string.Equals(LoggingHandler.Header(response, LoggingHandler.ReplayedHeader), "true", StringComparison.OrdinalIgnoreCase),
        StatusCode = (int)response.StatusCode,
        Attempts = AurousRequestContext.From(response.RequestMessage!).Attempts,
    };

    /// <summary>
    /// Sends through the shared pipeline; returns only a success response, everything else becomes an
    /// <see cref="AurousException"/>. A 404 gets the ErrorId <paramref name="notFound"/>: routes that are not about
    /// characters pass ResourceNotFound.
    /// </summary>
    private Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? body, string bucket, string? idempotencyKey, CancellationToken ct, string notFound = AurousErrors.CharacterNotFound)
    {
        var request = new HttpRequestMessage(method, path) { Content = body };
        var safeToRepeat = idempotencyKey is not null || bucket != AurousRateLimits.CharactersSynthesizeBucket;
        var context = new AurousRequestContext(Options, _bucketScope, bucket, idempotencyKey, safeToRepeat, _userAgent) { NotFoundErrorId = notFound };
        return SendCoreAsync(request, context, "/" + path, ct);
    }

    /// <summary>
    /// The one send: attaches the call's context, maps transport failures and error answers to exceptions.
    /// <paramref name="display"/> names the request in a transport error (a path, never a URL with its token);
    /// with <paramref name="redirects"/> a 3xx is returned to the caller (downloads follow them; API calls never do).
    /// </summary>
    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, AurousRequestContext context, string display, CancellationToken ct, bool redirects = false)
    {
        using (request)
        {
            context.AttachTo(request);
            HttpResponseMessage response;
            try
            {
                // Headers only here: TimeoutHandler reads every body inside its attempt, within a download's bound.
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && RetryHandler.IsTransportFailure(e))
            {
                // A path alone would not say which server was out of reach; a download's display is already a URL.
                var where = display.StartsWith("/", StringComparison.Ordinal) ? request.RequestUri!.GetLeftPart(UriPartial.Authority) + display : display;
                throw ForCaller(AurousApiErrors.Transport(e, request.Method, where, context.Attempts, Options), context);
            }

            if (response.IsSuccessStatusCode || (redirects && (int)response.StatusCode is >= 300 and < 400))
            {
                return response;
            }

            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                throw ForCaller(AurousApiErrors.FromResponse(response, bytes, Options, context.Attempts, context.NotFoundErrorId), context);
            }
        }
    }

    /// <summary>A paid call's error carries its key, so the caller can finish the call without paying twice.</summary>
    private AurousApiException ForCaller(AurousApiException error, AurousRequestContext context) =>
        context.IdempotencyKey is { } key ? error.ForPaidCall(key, context.OutcomeUnknown, Options.ApiKey) : error;

    private static string ClientVersion()
    {
        var assembly = typeof(AurousClient).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version.Substring(0, plus);
    }
}
