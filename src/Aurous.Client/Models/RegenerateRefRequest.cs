using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>Regenerate one pose (1 generation). <see cref="PromptOverride"/> is a documented no-op today.</summary>
public sealed class RegenerateRefRequest
{
    public CharacterPose Pose { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PromptOverride { get; set; }

    [JsonIgnore]
    public string? IdempotencyKey { get; set; }
}
