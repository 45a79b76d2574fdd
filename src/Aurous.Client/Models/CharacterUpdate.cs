namespace Aurous.Client;

/// <summary>PATCH body: send only what changes. <see cref="Attributes"/> replaces the whole stored object.</summary>
public sealed class CharacterUpdate
{
    public string? Name { get; set; }
    public CharacterAttributes? Attributes { get; set; }
}
