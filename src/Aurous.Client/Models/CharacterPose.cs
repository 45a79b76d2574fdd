using System.Text.Json.Serialization;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>Canonical v1 poses. A value a newer API adds reads as <see cref="Unknown"/>.</summary>
[JsonConverter(typeof(TolerantEnumConverter<CharacterPose>))]
public enum CharacterPose
{
    Unknown = 0,
    Portrait,
    Front,
    Side,
    Back,
    Other,
}
