using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>
/// A fresh emulator on an ephemeral loopback port, its control surface, and clients for it that retry fast
/// and record every log line, so a test can assert on what a user would have seen.
/// </summary>
public sealed class TestEmulator : IAsyncDisposable
{
    private readonly HttpClient _control;

    private TestEmulator(EmulatorServer server)
    {
        Server = server;
        _control = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public EmulatorServer Server { get; }

    /// <summary>This emulator's own folder of shared bucket state, so no test reads another's or the user's.</summary>
    public string BucketStateDirectory { get; } = Path.Combine(Path.GetTempPath(), "aurous-tests-" + Guid.NewGuid().ToString("n"));

    /// <summary>Every line every client of this emulator logged, Verbose and Debug.</summary>
    public ConcurrentQueue<AurousLogEvent> Log { get; } = new();

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { RandomSeed = 11, SynthesisSeconds = 0 };
        configure?.Invoke(options);
        return new TestEmulator(await EmulatorServer.StartAsync(options));
    }

    /// <summary>Options for team A with millisecond backoff, so retries cost no test time (Retry-After still counts).</summary>
    public AurousClientOptions Options(string apiKey = EmulatorDefaults.TeamAKey) => new()
    {
        ApiKey = apiKey,
        BaseUri = Server.BaseUri,
        Retry = new AurousRetryPolicy { MaxAttempts = 8, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
        RequestTimeout = TimeSpan.FromSeconds(10),
        RateLimits = new AurousRateLimits { SharedStateDirectory = BucketStateDirectory },
        HostDescription = "xunit",
        Log = Log.Enqueue,
    };

    public AurousClient Client(Action<AurousClientOptions>? configure = null)
    {
        var options = Options();
        configure?.Invoke(options);
        return new AurousClient(options);
    }

    public IEnumerable<string> Lines(AurousLogLevel? level = null) =>
        Log.Where(e => level is null || e.Level == level).Select(e => e.Message);

    public async Task<Ledger> LedgerAsync(string team = EmulatorDefaults.TeamA)
    {
        using var doc = JsonDocument.Parse(await _control.GetStringAsync($"_emulator/teams/{team}/ledger"));
        var root = doc.RootElement;
        var charges = root.GetProperty("charges").EnumerateArray()
            .Select(c => new Charge(
                c.GetProperty("route").GetString()!,
                c.GetProperty("character_id").GetString()!,
                c.GetProperty("idempotency_key").GetString(),
                c.GetProperty("generations").GetInt32()))
            .ToList();
        return new Ledger(root.GetProperty("credits").GetInt32(), charges);
    }

    public Task FaultAsync(string route, string kind, int? count = null, double? rate = null, int? delayMs = null, int? retryAfterSeconds = null)
    {
        var body = new Dictionary<string, object> { ["route"] = route, ["kind"] = kind };
        if (count is not null) body["count"] = count;
        if (rate is not null) body["rate"] = rate;
        if (delayMs is not null) body["delay_ms"] = delayMs;
        if (retryAfterSeconds is not null) body["retry_after_seconds"] = retryAfterSeconds;
        return ControlAsync(HttpMethod.Post, "_emulator/faults", body);
    }

    public Task ClearFaultsAsync() => ControlAsync(HttpMethod.Delete, "_emulator/faults", null);

    public Task SetCreditsAsync(int credits, string team = EmulatorDefaults.TeamA) =>
        ControlAsync(HttpMethod.Put, $"_emulator/teams/{team}/credits", new Dictionary<string, object> { ["credits"] = credits });

    public Task FinishAsync(string id, string outcome, string? errorMessage = null)
    {
        var body = new Dictionary<string, object> { ["outcome"] = outcome };
        if (errorMessage is not null) body["error_message"] = errorMessage;
        return ControlAsync(HttpMethod.Post, $"_emulator/characters/{id}/finish", body);
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(BucketStateDirectory))
        {
            Directory.Delete(BucketStateDirectory, recursive: true);
        }
    }

    private async Task ControlAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _control.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed record Charge(string Route, string CharacterId, string? IdempotencyKey, int Generations);

public sealed record Ledger(int Credits, IReadOnlyList<Charge> Charges);
