namespace Aurous.Emulator;

internal enum CharacterStatus
{
    Synthesizing,
    Reviewing,
    Ready,
    Failed,
    Deleted,
}

/// <summary>The typed identity fields the platform stores; every field optional.</summary>
internal sealed record CharacterAttributes(
    string? Gender,
    int? Age,
    string? Ethnicity,
    string? HairColor,
    string? HairStyle,
    string? EyeColor,
    string? BodyType,
    string? AdditionalDetails);

/// <summary>The poses: synthesis makes the first four; regenerate also accepts "other".</summary>
internal static class Poses
{
    public static readonly string[] Synthesized = ["portrait", "front", "side", "back"];

    public static readonly string[] Regenerable = ["portrait", "front", "side", "back", "other"];

    public static int Order(string pose) => Array.IndexOf(Regenerable, pose);
}

/// <summary>One ref image: the pose and which generation of it (each new render gets a new number).</summary>
internal sealed record StoredRef(string Pose, int Generation);

/// <summary>A synthesis in flight: when it ends, whether it fails, and which poses it renders.</summary>
internal sealed record PendingSynthesis(DateTimeOffset EndsAt, bool WillFail, IReadOnlyList<string> Poses)
{
    /// <summary>Resynthesis replaces the whole ref set; a single-pose regeneration keeps the others.</summary>
    public bool ReplaceAll { get; init; }
}

internal sealed class StoredCharacter
{
    public required string Id { get; init; }

    public required string Team { get; init; }

    public required string Name { get; set; }

    public required string AurousVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public CharacterStatus Status { get; set; }

    public List<StoredRef> Refs { get; init; } = [];

    public CharacterAttributes? Attributes { get; set; }

    public string? ErrorMessage { get; set; }

    public PendingSynthesis? Pending { get; set; }

    public int LastGeneration { get; set; }
}

internal sealed record RefView(string Pose, string Url);

/// <summary>The documented character resource, exactly as it goes on the wire.</summary>
internal sealed record CharacterView(
    string Id,
    string Object,
    string Name,
    string Status,
    IReadOnlyList<RefView> Refs,
    string CreatedAt,
    string UpdatedAt,
    CharacterAttributes? Attributes,
    string? ErrorMessage,
    string AurousVersion)
{
    public static CharacterView From(StoredCharacter character, Uri baseUri, RefUrlSigner signer) => new(
        character.Id,
        "character",
        character.Name,
        character.Status.ToString().ToLowerInvariant(),
        character.Refs.Select(r => new RefView(r.Pose, signer.Sign(baseUri, character.Id, r.Pose, r.Generation))).ToList(),
        Timestamp(character.CreatedAt),
        Timestamp(character.UpdatedAt),
        character.Attributes,
        character.ErrorMessage,
        character.AurousVersion);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
