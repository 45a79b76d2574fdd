using System;
using System.Collections.Generic;

namespace Aurous.Client;

/// <summary>ShouldProcess texts, so -WhatIf and -Confirm name what a call changes and the credits it spends.</summary>
public static class AurousOperations
{
    /// <summary>Generations each paid call spends.</summary>
    public static class CreditCosts
    {
        public const int RegenerateRef = 1;
        public const int Resynthesize = 4;
        public const int Create = 4;
    }

    public static string Resynthesize(bool forceAll) =>
        $"Resynthesize all 4 poses ({Generations(CreditCosts.Resynthesize)}){(forceAll ? " with force_all" : "")}";

    public static string RegenerateRef(CharacterPose pose) =>
        $"Regenerate the {Serialization.TolerantEnumConverter<CharacterPose>.ToWire(pose)} pose ({Generations(CreditCosts.RegenerateRef)})";

    public static string Create(string name) =>
        $"Create character '{name}' ({Generations(CreditCosts.Create)})";

    public static string Save() => "Save (move from reviewing to ready; no credits)";

    /// <summary>Names the fields that change; with no argument, a generic text.</summary>
    public static string Update(CharacterUpdate? update = null)
    {
        var fields = new List<string>();
        if (update?.Name is not null)
        {
            fields.Add($"name to '{update.Name}'");
        }

        if (update?.Attributes is not null)
        {
            fields.Add("attributes (replaces the whole object)");
        }

        return fields.Count == 0 ? "Update (no credits)" : $"Update {string.Join(" and ", fields)} (no credits)";
    }

    /// <summary>A per-field change: the cmdlet reads, merges and sends, so only the named fields change.</summary>
    public static string UpdateFields(string? name, CharacterAttributes changes)
    {
        var fields = new List<string>();
        if (name is not null)
        {
            fields.Add($"name to '{name}'");
        }

        var attributes = changes.SetFields();
        if (attributes.Count > 0)
        {
            fields.Add($"{string.Join(", ", attributes)} (other attributes kept)");
        }

        return fields.Count == 0 ? "Update (no credits)" : $"Update {string.Join(" and ", fields)} (no credits)";
    }

    public static string Delete() => "Delete (the character is gone for good)";

    public static string Target(string id, string? name) =>
        string.IsNullOrEmpty(name) ? id : $"{id} ({name})";

    private static string Generations(int count) => count == 1 ? "1 generation" : $"{count} generations";
}
