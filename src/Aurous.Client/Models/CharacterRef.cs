using System.Text.Json.Serialization;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>One reference image. <see cref="Url"/> carries a token: never log it unredacted.</summary>
public sealed class CharacterRef
{
    /// <summary>Portrait, Front, Side, Back or Other (Unknown for a pose a newer API adds): a name, as <see cref="Character.Status"/> is.</summary>
    [JsonConverter(typeof(EnumNameConverter<CharacterPose>))]
    public string Pose { get; set; } = nameof(CharacterPose.Unknown);

    public string Url { get; set; } = "";

    public override string ToString() => $"{Pose}: {AurousRedactor.Redact(Url)}";
}
