using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Aurous.Emulator.Tests;

/// <summary>A response as the tests look at it: status, headers and the parsed JSON body.</summary>
public sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public bool Replayed => Header("Aurous-Idempotent-Replayed") == "true";

    public string Id => Json.GetProperty("id").GetString()!;

    public string State => Json.GetProperty("status").GetString()!;

    public string ErrorCode => Json.GetProperty("error").GetProperty("code").GetString()!;

    public string? ErrorParam => Json.GetProperty("error").GetProperty("param").GetString();

    public string ErrorMessage => Json.GetProperty("error").GetProperty("message").GetString()!;

    /// <summary>Asserts the documented error envelope and returns it for further checks.</summary>
    public ApiResponse AssertError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Text}");
        var error = Json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.StartsWith("req_", Header("Request-Id"));
        return this;
    }

    public ApiResponse AssertStatus(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        return this;
    }
}

/// <summary>
/// A fresh emulator on an ephemeral loopback port plus a plain HttpClient, so every test starts from the
/// seeded state and talks real HTTP.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public const string TeamA = EmulatorDefaults.TeamAKey;
    public const string TeamB = EmulatorDefaults.TeamBKey;

    private Harness(EmulatorServer server, EmulatorOptions options)
    {
        Server = server;
        Options = options;
        Http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
    }

    public EmulatorServer Server { get; }

    public EmulatorOptions Options { get; }

    public HttpClient Http { get; }

    public static async Task<Harness> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { RandomSeed = 7 };
        configure?.Invoke(options);
        return new Harness(await EmulatorServer.StartAsync(options), options);
    }

    public Task<ApiResponse> SendAsync(
        HttpMethod method, string path, string? body = null, string? apiKey = TeamA, string? idempotencyKey = null, params (string Name, string Value)[] headers) =>
        SendAsync(method, path, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"), apiKey, idempotencyKey, headers);

    /// <summary>Sends <paramref name="content"/> as it is: raw bytes, chunked streams, anything a caller could put on the wire.</summary>
    public async Task<ApiResponse> SendAsync(
        HttpMethod method, string path, HttpContent? content, string? apiKey = TeamA, string? idempotencyKey = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };

        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Writes <paramref name="request"/> to a fresh connection byte for byte and returns all it gets back.</summary>
    public async Task<string> SendRawAsync(string request)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Server.BaseUri.Host, Server.BaseUri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public Task<ApiResponse> GetAsync(string id, string apiKey = TeamA) => SendAsync(HttpMethod.Get, $"v1/characters/{id}", apiKey: apiKey);

    public Task<ApiResponse> PatchAsync(string id, string body, string apiKey = TeamA) => SendAsync(HttpMethod.Patch, $"v1/characters/{id}", body, apiKey);

    public Task<ApiResponse> SaveAsync(string id, string apiKey = TeamA) => SendAsync(HttpMethod.Post, $"v1/characters/{id}/save", apiKey: apiKey);

    public Task<ApiResponse> DeleteAsync(string id, string apiKey = TeamA) => SendAsync(HttpMethod.Delete, $"v1/characters/{id}", apiKey: apiKey);

    public Task<ApiResponse> ResynthesizeAsync(string id, string? body = "{}", string? key = null, string apiKey = TeamA) =>
        SendAsync(HttpMethod.Post, $"v1/characters/{id}/resynthesize", body, apiKey, key);

    public Task<ApiResponse> RegenerateAsync(string id, string pose, string? key = null, string apiKey = TeamA) =>
        SendAsync(HttpMethod.Post, $"v1/characters/{id}/refs/regenerate", $$"""{"pose":"{{pose}}"}""", apiKey, key);

    public Task<ApiResponse> CreateAsync(string name = "Aurora", string? key = null, string apiKey = TeamA) =>
        SendAsync(HttpMethod.Post, "v1/characters", JsonSerializer.Serialize(new { name, attributes = new { age = 28, hair_color = "black" } }), apiKey, key);

    /// <summary>A character that finished synthesis (status reviewing, four refs), after one create charge.</summary>
    public async Task<string> CreateReviewingAsync(string apiKey = TeamA)
    {
        var id = (await CreateAsync(apiKey: apiKey)).AssertStatus(HttpStatusCode.Created).Id;
        await FinishAsync(id, "reviewing");
        return id;
    }

    public async Task<string> CreateReadyAsync(string apiKey = TeamA)
    {
        var id = await CreateReviewingAsync(apiKey);
        (await SaveAsync(id, apiKey)).AssertStatus(HttpStatusCode.OK);
        return id;
    }

    public async Task<ApiResponse> FinishAsync(string id, string outcome, string? errorMessage = null) =>
        (await ControlAsync(HttpMethod.Post, $"_emulator/characters/{id}/finish", JsonSerializer.Serialize(new { outcome, error_message = errorMessage })))
        .AssertStatus(HttpStatusCode.OK);

    public Task<ApiResponse> ControlAsync(HttpMethod method, string path, string? body = null) => SendAsync(method, path, body, apiKey: null);

    public async Task<Ledger> LedgerAsync(string team = EmulatorDefaults.TeamA)
    {
        var json = (await ControlAsync(HttpMethod.Get, $"_emulator/teams/{team}/ledger")).AssertStatus(HttpStatusCode.OK).Json;
        var charges = json.GetProperty("charges").EnumerateArray()
            .Select(c => new LedgerCharge(
                c.GetProperty("route").GetString()!,
                c.GetProperty("character_id").GetString()!,
                c.GetProperty("idempotency_key").GetString(),
                c.GetProperty("generations").GetInt32(),
                c.GetProperty("at").GetString()!))
            .ToList();
        return new Ledger(json.GetProperty("credits").GetInt32(), charges);
    }

    public async Task SetCreditsAsync(int credits, string team = EmulatorDefaults.TeamA) =>
        (await ControlAsync(HttpMethod.Put, $"_emulator/teams/{team}/credits", $$"""{"credits":{{credits}}}""")).AssertStatus(HttpStatusCode.OK);

    public async Task AdvanceAsync(double seconds) =>
        (await ControlAsync(HttpMethod.Post, "_emulator/clock/advance", $$"""{"seconds":{{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""")).AssertStatus(HttpStatusCode.OK);

    public async Task AddFaultAsync(object fault) =>
        (await ControlAsync(HttpMethod.Post, "_emulator/faults", JsonSerializer.Serialize(fault))).AssertStatus(HttpStatusCode.Created);

    /// <summary>The stored character whatever its team or state, without spending any rate-limit budget.</summary>
    public async Task<JsonElement> PeekAsync(string id) =>
        (await ControlAsync(HttpMethod.Get, $"_emulator/characters/{id}")).AssertStatus(HttpStatusCode.OK).Json;

    /// <summary>
    /// The stored character as text, for "nothing changed" checks. Ref URL tokens are cut off because each
    /// read mints a fresh expiry.
    /// </summary>
    public async Task<string> SnapshotAsync(string id) =>
        System.Text.RegularExpressions.Regex.Replace((await PeekAsync(id)).GetRawText(), @"\?token=[^""]*", "");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed record LedgerCharge(string Route, string CharacterId, string? IdempotencyKey, int Generations, string At);

public sealed record Ledger(int Credits, IReadOnlyList<LedgerCharge> Charges);
