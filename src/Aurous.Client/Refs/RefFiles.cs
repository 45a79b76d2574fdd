using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>Naming and planning of ref files: which refs a save writes and under which names.</summary>
public static class RefFiles
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
        ["image/jpg"] = ".jpg",
        ["image/pjpeg"] = ".jpg",
        ["image/webp"] = ".webp",
        ["image/gif"] = ".gif",
        ["image/avif"] = ".avif",
        ["image/heic"] = ".heic",
        ["image/heif"] = ".heif",
        ["image/bmp"] = ".bmp",
        ["image/tiff"] = ".tif",
        ["image/svg+xml"] = ".svg",
        ["application/octet-stream"] = ".bin",
    };

    public static string BaseName(string characterId, CharacterPose pose) =>
        $"{AurousValidation.CharacterId(characterId)}-{TolerantEnumConverter<CharacterPose>.ToWire(pose)}";

    /// <summary>
    /// The extension for a download's media type; ".bin" when it names none (the docs' own example URL ends in .bin)
    /// or an unusual image type; null when it is not an image (an HTML login page from a proxy, a JSON error).
    /// </summary>
    public static string? ExtensionFor(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return ".bin";
        }

        var type = mediaType!.Trim();
        if (Extensions.TryGetValue(type, out var known))
        {
            return known;
        }

        const string Image = "image/";
        if (!type.StartsWith(Image, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // A plain subtype (image/jxl) names its own extension; anything fancier is still an image, saved as .bin.
        var subtype = type.Substring(Image.Length).ToLowerInvariant();
        return subtype.Length is > 0 and <= 10 && subtype.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? "." + subtype : ".bin";
    }

    /// <summary>
    /// The files for <paramref name="poses"/> (every ref the character has when null or empty), in the character's ref
    /// order, each with the file already saved for it, if any.
    /// </summary>
    public static RefPlan Plan(Character character, IReadOnlyCollection<CharacterPose>? poses, string directory)
    {
        if (character is null)
        {
            throw new ArgumentNullException(nameof(character));
        }

        if (string.IsNullOrEmpty(directory))
        {
            throw new ArgumentException("A directory is required.", nameof(directory));
        }

        var wanted = poses is { Count: > 0 } ? new HashSet<CharacterPose>(poses) : null;
        var files = LatestRefs(character)
            .Where(r => wanted is null || wanted.Contains(PoseOf(r)))
            .Select(r => new RefFile(character, r, directory, Existing(directory, BaseName(character.Id, PoseOf(r)))))
            .ToList();

        var missing = new List<AurousException>();
        if (wanted is null && files.Count == 0)
        {
            missing.Add(Missing(character, null));
        }

        foreach (var pose in wanted?.Where(p => files.All(f => f.Pose != p)).OrderBy(p => p) ?? Enumerable.Empty<CharacterPose>())
        {
            missing.Add(Missing(character, pose));
        }

        return new RefPlan(files, missing);
    }

    internal static CharacterPose PoseOf(CharacterRef reference) => TolerantEnumConverter<CharacterPose>.Parse(reference.Pose);

    /// <summary>The character's refs of known poses with a URL, the last of each pose, in the character's order.</summary>
    internal static IEnumerable<CharacterRef> LatestRefs(Character character) =>
        character.Refs
            .Where(r => PoseOf(r) != CharacterPose.Unknown && !string.IsNullOrEmpty(r.Url))
            .GroupBy(PoseOf)
            .Select(g => g.Last());

    /// <summary>"Character char_… (Aurora): The front ref <paramref name="predicate"/>.": a ref that cannot be shown.</summary>
    internal static AurousException Refused(Character character, CharacterPose pose, string predicate, string errorId) =>
        new($"The {TolerantEnumConverter<CharacterPose>.ToWire(pose)} ref {predicate}.", errorId, character.Id)
        {
            CharacterName = string.IsNullOrEmpty(character.Name) ? null : character.Name,
        };

    /// <summary>"the front ref of char_… (Aurora)".</summary>
    internal static string Describe(Character character, CharacterPose pose) => $"the {TolerantEnumConverter<CharacterPose>.ToWire(pose)} ref of {character}";

    private static string? Existing(string directory, string baseName) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, baseName + ".*").FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == baseName)
            : null;

    private static AurousException Missing(Character character, CharacterPose? pose)
    {
        var has = string.Join(", ", character.Refs.Select(r => TolerantEnumConverter<CharacterPose>.ToWire(PoseOf(r))));
        var status = character.Status.ToLowerInvariant();
        var message = character.Refs.Count == 0
            ? $"Character {character} has no refs yet (it is {status}). Wait for it with Wait-AurousCharacter, then save its refs."
            : $"Character {character} has no {TolerantEnumConverter<CharacterPose>.ToWire(pose!.Value)} ref; it has {has}. Regenerate that pose with Invoke-AurousResynthesis -Pose, or leave it out of -Pose.";
        return new AurousException(message, AurousErrors.RefNotFound);
    }
}
