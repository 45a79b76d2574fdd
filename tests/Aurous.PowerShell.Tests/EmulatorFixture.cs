using System.Net.Http.Json;
using System.Text.Json;
using Aurous.Emulator;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>
/// A real emulator on loopback for one test class, plus its control surface. Synthesis never completes by
/// itself (tests finish each character explicitly, so timing never decides a result), and the server's buckets
/// are wide so test set-up never waits on them.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private HttpClient _http = null!;

    public EmulatorServer Server { get; private set; } = null!;

    public Uri BaseUri => Server.BaseUri;

    public async Task InitializeAsync()
    {
        var wide = new BucketShape(10_000, 10_000);
        Server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            SynthesisSeconds = 3600,
            CharactersGet = wide,
            CharactersPost = wide,
            CharactersSynthesize = wide,
        });
        _http = new HttpClient { BaseAddress = Server.BaseUri };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Creates a synthesizing character straight over HTTP (not through the module under test).</summary>
    public async Task<string> CreateCharacterAsync(string name, string apiKey = EmulatorDefaults.TeamAKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/characters")
        {
            Content = JsonContent.Create(new { name, attributes = new { gender = "female", age = 28, hair_color = "black", eye_color = "brown" } }),
        };
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using HttpResponseMessage response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<string[]> CreateCharactersAsync(int count, string prefix)
    {
        var ids = new string[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = await CreateCharacterAsync($"{prefix} {i + 1}");
        }

        return ids;
    }

    /// <summary>Ends a running synthesis now: "reviewing", or "failed" with the server's error message.</summary>
    public async Task FinishAsync(string id, string outcome = "reviewing", string? errorMessage = null)
    {
        object body = errorMessage == null ? new { outcome } : new { outcome, error_message = errorMessage };
        using HttpResponseMessage response = await _http.PostAsJsonAsync($"_emulator/characters/{id}/finish", body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A reviewing character, ready for Save or a paid call.</summary>
    public async Task<string> CreateReviewingAsync(string name)
    {
        string id = await CreateCharacterAsync(name);
        await FinishAsync(id);
        return id;
    }

    public async Task<Ledger> LedgerAsync(string team = EmulatorDefaults.TeamA)
    {
        using JsonDocument body = JsonDocument.Parse(await _http.GetStringAsync($"_emulator/teams/{team}/ledger"));
        var charges = body.RootElement.GetProperty("charges").EnumerateArray()
            .Select(c => new Charge(c.GetProperty("route").GetString()!, c.GetProperty("character_id").GetString(), c.GetProperty("generations").GetInt32()))
            .ToList();
        return new Ledger(body.RootElement.GetProperty("credits").GetInt32(), charges);
    }

    public async Task SetCreditsAsync(int credits, string team = EmulatorDefaults.TeamA)
    {
        using HttpResponseMessage response = await _http.PutAsJsonAsync($"_emulator/teams/{team}/credits", new { credits });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The character as the server has it, read without the module.</summary>
    public async Task<JsonElement> ReadAsync(string id, string apiKey = EmulatorDefaults.TeamAKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/characters/{id}");
        request.Headers.Add("X-Api-Key", apiKey);
        using HttpResponseMessage response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    public sealed record Ledger(int Credits, IReadOnlyList<Charge> Charges);

    public sealed record Charge(string Route, string? CharacterId, int Generations);
}
