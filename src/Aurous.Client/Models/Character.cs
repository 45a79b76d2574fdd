using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>A character as GET /v1/characters/{id} returns it.</summary>
/// <remarks>
/// Shaped for PowerShell, where what a table shows must be what a script can use: every column of the default view
/// is a property, and each property reads as a word people can use. <see cref="Status"/> and the poses are member
/// names ("Ready", "Front") held as strings, because ConvertTo-Json writes an enum as a number on every PowerShell
/// version without a switch; the collections read as their items in Export-Csv. The wire format is unchanged:
/// "ready" and "front" travel as before.
/// </remarks>
public sealed class Character
{
    private static readonly ReadableList<CharacterRef> NoRefs = new(Array.Empty<CharacterRef>());
    private static readonly ReadableList<string> NoPoses = new(Array.Empty<string>());

    private IReadOnlyList<CharacterRef> _refs = NoRefs;
    private string? _errorMessageJson;

    public string Id { get; set; } = "";
    public string Object { get; set; } = "character";
    public string Name { get; set; } = "";

    /// <summary>Synthesizing, Reviewing, Ready, Failed or Deleted; Unknown for a state a newer API adds.</summary>
    [JsonConverter(typeof(EnumNameConverter<CharacterStatus>))]
    public string Status { get; set; } = nameof(CharacterStatus.Unknown);

    public IReadOnlyList<CharacterRef> Refs
    {
        get => _refs;
        set
        {
            _refs = value is null || value.Count == 0 ? NoRefs : new ReadableList<CharacterRef>(value.ToList());
            Poses = _refs.Count == 0 ? NoPoses : new ReadableList<string>(_refs.Select(r => r.Pose).ToList());
        }
    }

    /// <summary>The pose of each ref, in order (Portrait, Front, Side, Back): the default view's Poses column.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Poses { get; private set; } = NoPoses;

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public CharacterAttributes? Attributes { get; set; }

    /// <summary>
    /// Why a failed character failed, as text: error_message itself when it is a string, its "message" when it is an
    /// object that has one, else the whole value as JSON. Null when the server sent none.
    /// </summary>
    [JsonIgnore]
    public string? ErrorMessage { get; private set; }

    /// <summary>
    /// error_message exactly as the server sent it, as JSON text: the docs type it as an object, the emulator sends a
    /// string, so a script that wants more than the message (a code, say) reads it with ConvertFrom-Json.
    /// </summary>
    [JsonPropertyName("error_message")]
    [JsonConverter(typeof(RawJsonConverter))]
    public string? ErrorMessageJson
    {
        get => _errorMessageJson;
        set
        {
            _errorMessageJson = value;
            ErrorMessage = MessageOf(value);
        }
    }

    public string? AurousVersion { get; set; }

    /// <summary>Request id, idempotency key and replay flag of the call that returned this object.</summary>
    [JsonIgnore]
    public AurousResponseInfo? LastResponse { get; set; }

    /// <summary><see cref="Status"/> as the enum, for code that branches on it.</summary>
    internal CharacterStatus State => TolerantEnumConverter<CharacterStatus>.Parse(Status);

    private static string? MessageOf(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var value = document.RootElement;
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString(),
            _ => value.GetRawText(),
        };
    }

    public override string ToString() => string.IsNullOrEmpty(Name) ? Id : $"{Id} ({Name})";
}
