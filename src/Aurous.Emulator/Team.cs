using System.Text.RegularExpressions;

namespace Aurous.Emulator;

/// <summary>One team: its balance and the ledger of every charge. Its key is <see cref="TeamKeys.Prefix"/> + its name.</summary>
internal sealed class Team(string name)
{
    public string Name { get; } = name;

    public int Credits { get; set; }

    public List<Charge> Ledger { get; } = [];
}

internal sealed record Charge(string Route, string CharacterId, string? IdempotencyKey, int Generations, string At);

/// <summary>
/// The team-key rule: every key al_live_emulator_&lt;name&gt; is a team of its own, so parallel tests can each take a
/// fresh one and never share a budget, a ledger or characters.
/// </summary>
internal static partial class TeamKeys
{
    public const string Prefix = "al_live_emulator_";
    public const int MaxNameLength = 64;

    public const string Rule = "al_live_emulator_<name>, where <name> is 1 to 64 letters, digits or underscores";

    public static bool IsName(string name) => NamePattern().IsMatch(name);

    /// <summary>The team a key names, or null when the key does not follow the rule.</summary>
    public static string? NameOf(string apiKey) =>
        apiKey.StartsWith(Prefix, StringComparison.Ordinal) && IsName(apiKey[Prefix.Length..]) ? apiKey[Prefix.Length..] : null;

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
