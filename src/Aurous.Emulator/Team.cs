namespace Aurous.Emulator;

/// <summary>One team: its key, its balance and the ledger of every charge.</summary>
internal sealed class Team(string name, string apiKey)
{
    public string Name { get; } = name;

    public string ApiKey { get; } = apiKey;

    public int Credits { get; set; }

    public List<Charge> Ledger { get; } = [];
}

internal sealed record Charge(string Route, string CharacterId, string? IdempotencyKey, int Generations, string At);
