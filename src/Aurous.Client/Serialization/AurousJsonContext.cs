using System.Text.Json.Serialization;

namespace Aurous.Client.Serialization;

/// <summary>
/// Source-generated metadata for every wire type: no reflection at run time, snake_case names,
/// unknown fields ignored, nulls omitted so a PATCH sends only what changes.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Character))]
[JsonSerializable(typeof(CharacterList))]
[JsonSerializable(typeof(CharacterUpdate))]
[JsonSerializable(typeof(ResynthesizeRequest))]
[JsonSerializable(typeof(RegenerateRefRequest))]
[JsonSerializable(typeof(CharacterCreate))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(AurousEmulatorLedger))]
[JsonSerializable(typeof(AurousEmulatorClock))]
internal sealed partial class AurousJsonContext : JsonSerializerContext
{
}
