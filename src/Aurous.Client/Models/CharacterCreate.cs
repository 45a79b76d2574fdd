using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>Emulator create body (4 generations).</summary>
public sealed class CharacterCreate
{
    public string Name { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CharacterAttributes? Attributes { get; set; }

    [JsonIgnore]
    public string? IdempotencyKey { get; set; }
}
