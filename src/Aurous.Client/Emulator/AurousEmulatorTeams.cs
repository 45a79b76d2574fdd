using System;
using System.Text.RegularExpressions;

namespace Aurous.Client;

/// <summary>
/// The emulator's teams and their keys: a key <c>al_live_emulator_&lt;team&gt;</c> is that team's, made on first use.
/// These keys open nothing but a local emulator, so unlike a real key they may be shown and written down.
/// </summary>
public static class AurousEmulatorTeams
{
    public const string KeyPrefix = "al_live_emulator_";

    /// <summary>The seeded teams, there from the start and after every reset.</summary>
    public const string TeamA = "team_a";
    public const string TeamB = "team_b";

    private static readonly Regex Name = new(@"^[A-Za-z0-9_]{1,64}\z", RegexOptions.CultureInvariant);

    public static bool IsValidName(string? team) => !string.IsNullOrEmpty(team) && Name.IsMatch(team);

    /// <exception cref="AurousValidationException">InvalidConfiguration, when the name has other characters than letters, digits and _.</exception>
    public static string CheckName(string team) =>
        IsValidName(team) ? team : throw new AurousValidationException($"The team name {AurousMessages.Quote(team)} is not one the emulator takes: use 1 to 64 letters, digits and _.", AurousErrors.InvalidConfiguration, "Team");

    /// <exception cref="AurousValidationException">InvalidConfiguration, for a name <see cref="CheckName"/> refuses.</exception>
    public static string KeyFor(string team) => KeyPrefix + CheckName(team);

    /// <summary>The team an emulator key belongs to; null for any other key.</summary>
    public static string? TeamOf(string? apiKey)
    {
        if (apiKey is null || !apiKey.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var team = apiKey.Substring(KeyPrefix.Length);
        return IsValidName(team) ? team : null;
    }

    /// <summary>A team no one has used: its own credits, ledger, characters and buckets, so parallel tests never meet.</summary>
    public static string NewName() => "test_" + Guid.NewGuid().ToString("N").Substring(0, 16);
}
