using System;
using System.Collections.Generic;
using System.Linq;

namespace Aurous.Client;

/// <summary>ShouldProcess texts, so -WhatIf and -Confirm name what a call changes and the credits it spends.</summary>
public static class AurousOperations
{
    /// <summary>Credits each paid call spends (the API prices calls in generations, one credit each).</summary>
    public static class CreditCosts
    {
        public const int RegenerateRef = 1;
        public const int Resynthesize = 4;
        public const int Create = 4;
    }

    public static string Resynthesize(bool forceAll) =>
        $"Resynthesize all 4 poses ({AurousMessages.Credits(CreditCosts.Resynthesize)}){(forceAll ? " with force_all" : "")}";

    public static string RegenerateRef(CharacterPose pose) => RegenerateRefs(new[] { pose });

    /// <summary>
    /// Several poses are regenerated one after another (a synthesizing character refuses a second regeneration),
    /// each a paid call: the text names them in order and gives the total cost.
    /// </summary>
    public static string RegenerateRefs(IReadOnlyList<CharacterPose> poses)
    {
        if (poses.Count == 1)
        {
            return $"Regenerate the {poses[0]} pose ({AurousMessages.Credits(CreditCosts.RegenerateRef)})";
        }

        var names = poses.Select(p => p.ToString()).ToList();
        return $"Regenerate the {string.Join(", ", names.Take(names.Count - 1))} and {names[names.Count - 1]} poses, one after another ({AurousMessages.Credits(CreditCosts.RegenerateRef * poses.Count)})";
    }

    /// <summary>Names the attribute fields the character gets, so a dry run of a CSV import shows which columns bound.</summary>
    public static string Create(string name, CharacterAttributes? attributes = null)
    {
        var fields = attributes?.SetFields() ?? Array.Empty<string>();
        return fields.Count == 0
            ? $"Create character '{name}' ({AurousMessages.Credits(CreditCosts.Create)})"
            : $"Create character '{name}' with {string.Join(", ", fields)} ({AurousMessages.Credits(CreditCosts.Create)})";
    }

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

    /// <summary>What a raw request may do, for -WhatIf: the cost of a known paid route, or a warning for an unknown one.</summary>
    public static string Request(AurousRoute route) => route.Name is null
        ? $"Send {route.Method} to a route the module does not know (it may change data or spend credits)"
        : route.Generations > 0
            ? $"Send {route.Method} ({route.Name}, {AurousMessages.Credits(route.Generations)})"
            : $"Send {route.Method} ({route.Name}, no credits)";

    /// <summary>Saving one ref image: free, and the file's extension is known only once the download says its type.</summary>
    public static string SaveRef(RefFile file) => $"Download {file.Description} (no credits; the extension follows the image type)";

    /// <summary>Writing Show-AurousCharacter's page: a local file, no call to the API.</summary>
    public static string WriteReviewPage(int characters, int images) =>
        $"Write the review page of {(characters == 1 ? "1 character" : $"{characters} characters")} with {(images == 1 ? "1 image" : $"{images} images")} (no credits)";

    /// <summary>The review's choice that asks which poses next: the cost depends on how many.</summary>
    public static string RegenerateChosen() =>
        $"Regenerate the poses you choose next, one after another ({AurousMessages.Credits(CreditCosts.RegenerateRef)} each)";

    public static string Target(string id, string? name) =>
        string.IsNullOrEmpty(name) ? id : $"{id} ({name})";
}
