using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Aurous.Client.Http;

/// <summary>One bucket's state in Redis, shared by every machine on the key: see <see cref="RedisBucketScript"/>.</summary>
internal sealed class RedisBucketStore : IBucketStore
{
    private readonly RedisStoreConnection _connection;
    private readonly RedisKey[] _key;

    public RedisBucketStore(RedisStoreConnection connection, string key)
    {
        _connection = connection;
        _key = new RedisKey[] { key };
    }

    public string Sharing => $"shared through the store {_connection.Display}";

    public bool Local => false;

    public async ValueTask<BucketResult> ApplyAsync(BucketChange change, AurousRequestContext context)
    {
        var arguments = RedisBucketScript.Arguments(change);
        var values = new RedisValue[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i];
        }

        var answer = await _connection.EvaluateAsync(_key, values, change.Now, context).ConfigureAwait(false);
        return RedisBucketScript.Result((string)answer[0]!, (string)answer[1]!, (string)answer[2]!);
    }
}

/// <summary>
/// One connection per store configuration, for the whole process, opened as soon as the configuration is checked
/// (<see cref="Open"/>: Connect-Aurous, a new client), so that the first call finds it ready. A call never waits for
/// the connection longer than <see cref="Patience"/>: while it is still being made, the call uses this machine's
/// buckets and says nothing. A store that cannot be connected to (within <see cref="ConnectTimeout"/>) or answers
/// slower than <see cref="Patience"/> (its first answer, <see cref="ConnectTimeout"/>) is set aside for a minute (on the caller's clock) with one Warning for the
/// whole outage, and buckets fall back to this machine's; the first answer after that says so at Verbose. The
/// configuration is only shown masked (<see cref="AurousRateLimits.MaskStore"/>), and its password is removed from
/// every message, Redis's own included.
/// </summary>
internal sealed class RedisStoreConnection
{
    /// <summary>250 ms; tests on a busy machine allow more, so that only the store they stop is found slow.</summary>
    internal static TimeSpan Patience { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a connection (TLS included) may take before the store counts as unreachable.</summary>
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<string, RedisStoreConnection> Connections = new(StringComparer.Ordinal);

    private readonly object _gate = new();
    private readonly ConfigurationOptions _options;
    private readonly string[] _passwords;
    private Task<ConnectionMultiplexer>? _connecting;
    private DateTimeOffset _unusableUntil;
    private bool _down;
    private bool _answered;

    private RedisStoreConnection(ConfigurationOptions options, string configuration)
    {
        _options = options;
        _options.AbortOnConnectFail = false;
        _options.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        // Answers are timed here (Within), to the quarter second; the library's own check runs about once a second.
        _options.AsyncTimeout = (int)ConnectTimeout.TotalMilliseconds;
        _options.SyncTimeout = (int)ConnectTimeout.TotalMilliseconds;
        _options.ClientName ??= "Aurous";
        _passwords = AurousRateLimits.StorePasswords(configuration);
        Display = AurousRateLimits.MaskStore(configuration);
    }

    /// <summary>The configuration with its password masked.</summary>
    public string Display { get; }

    public static RedisStoreConnection For(string configuration) => Connections.GetOrAdd(configuration, c => new RedisStoreConnection(Parse(c), c));

    /// <summary>
    /// Checks the configuration, and starts connecting in the background if this process has not yet: by the first
    /// call, the connection is usually there.
    /// </summary>
    /// <exception cref="ArgumentException">when StackExchange.Redis cannot read it, or it names no server; the password removed from the message.</exception>
    public static void Open(string configuration)
    {
        var connection = For(configuration);
        lock (connection._gate)
        {
            connection._connecting ??= ConnectionMultiplexer.ConnectAsync(connection._options);
        }
    }

    public async Task<RedisResult[]> EvaluateAsync(RedisKey[] keys, RedisValue[] values, DateTimeOffset now, AurousRequestContext context)
    {
        Task<ConnectionMultiplexer> connecting;
        lock (_gate)
        {
            if (now < _unusableUntil)
            {
                throw new BucketStoreUnavailableException();
            }

            connecting = _connecting ??= ConnectionMultiplexer.ConnectAsync(_options);
        }

        // Still connecting: this call keeps to this machine's buckets, and the next one looks again.
        if (!connecting.IsCompleted && await Task.WhenAny(connecting, Task.Delay(Patience)).ConfigureAwait(false) != connecting)
        {
            throw new BucketStoreUnavailableException();
        }

        try
        {
            var multiplexer = await connecting.ConfigureAwait(false);
            if (!multiplexer.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection to the store is open.");
            }

            // The first command pays for loading the code that sends it, and for the server compiling the script.
            var patience = Volatile.Read(ref _answered) ? Patience : ConnectTimeout;
            var answer = (RedisResult[])(await Within(multiplexer.GetDatabase().ScriptEvaluateAsync(RedisBucketScript.Source, keys, values), patience, "did not answer").ConfigureAwait(false))!;
            Volatile.Write(ref _answered, true);
            Rejoined(context);
            return answer;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException or InvalidCastException or FormatException or System.Net.Sockets.SocketException)
        {
            Failed(e, now, context);
            throw new BucketStoreUnavailableException();
        }
    }

    private static ConfigurationOptions Parse(string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            throw new ArgumentException(AurousRedactor.Redact(e.Message, AurousRateLimits.StorePasswords(configuration)));
        }

        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("It names no server.");
        }

        return options;
    }

    /// <summary>Waits for <paramref name="task"/> no longer than <paramref name="patience"/>: a slow store is treated as a down one.</summary>
    private static async Task<T> Within<T>(Task<T> task, TimeSpan patience, string what)
    {
        if (!task.IsCompleted && await Task.WhenAny(task, Task.Delay(patience)).ConfigureAwait(false) != task)
        {
            // Left to finish on its own; its failure, if any, is observed here rather than at finalization.
            _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw new TimeoutException($"It {what} within {patience.TotalMilliseconds:0} ms.");
        }

        return await task.ConfigureAwait(false);
    }

    // StackExchange.Redis appends pages of diagnostics to its messages; the first words say what happened.
    private static string Shorten(string message) => message.Length <= 160 ? message : message.Substring(0, 160) + "...";

    private void Failed(Exception e, DateTimeOffset now, AurousRequestContext context)
    {
        bool warn;
        lock (_gate)
        {
            _unusableUntil = now + RetryAfter;
            warn = !_down;
            _down = true;

            // A connection that failed outright (rather than one still trying) is made again next time.
            if (_connecting is { IsFaulted: true } or { IsCanceled: true })
            {
                _connecting = null;
            }
        }

        if (warn)
        {
            context.Log(
                AurousLogLevel.Warning,
                AurousRedactor.Redact($"The rate-limit store {Display} cannot be used ({e.GetType().Name}: {Shorten(e.Message)}). This process keeps to the team's limits with this machine's own buckets, lowering its rate if 429s say other machines spend the same budget, and tries the store again in a minute.", _passwords));
        }
    }

    private void Rejoined(AurousRequestContext context)
    {
        bool note;
        lock (_gate)
        {
            note = _down;
            _down = false;
        }

        if (note)
        {
            context.Log(AurousLogLevel.Verbose, $"The rate-limit store {Display} answers again: this process shares the team's buckets through it once more.");
        }
    }
}
