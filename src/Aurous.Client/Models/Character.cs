using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>A character as GET /v1/characters/{id} returns it.</summary>
public sealed class Character
{
    public string Id { get; set; } = "";
    public string Object { get; set; } = "character";
    public string Name { get; set; } = "";
    public CharacterStatus Status { get; set; }
    public IReadOnlyList<CharacterRef> Refs { get; set; } = Array.Empty<CharacterRef>();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public CharacterAttributes? Attributes { get; set; }
    public string? ErrorMessage { get; set; }
    public string? AurousVersion { get; set; }

    /// <summary>Request id, idempotency key and replay flag of the call that returned this object.</summary>
    [JsonIgnore]
    public AurousResponseInfo? LastResponse { get; set; }

    public override string ToString() => string.IsNullOrEmpty(Name) ? Id : $"{Id} ({Name})";
}
