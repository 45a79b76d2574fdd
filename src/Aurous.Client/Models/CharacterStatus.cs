using System.Text.Json.Serialization;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>Lifecycle state. A value a newer API adds reads as <see cref="Unknown"/>.</summary>
[JsonConverter(typeof(TolerantEnumConverter<CharacterStatus>))]
public enum CharacterStatus
{
    Unknown = 0,
    Synthesizing,
    Reviewing,
    Ready,
    Failed,
    Deleted,
}
