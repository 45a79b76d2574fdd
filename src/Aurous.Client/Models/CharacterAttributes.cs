using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>Identity fields. The API replaces the whole object on PATCH; <see cref="MergeWith"/> builds the object to send.</summary>
public sealed class CharacterAttributes
{
    public string? Gender { get; set; }
    public int? Age { get; set; }
    public string? Ethnicity { get; set; }
    public string? HairColor { get; set; }
    public string? HairStyle { get; set; }
    public string? EyeColor { get; set; }
    public string? BodyType { get; set; }
    public string? AdditionalDetails { get; set; }

    /// <summary>Fields a newer API returns that this version does not know; sent back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }

    /// <summary>Builds attributes from a hashtable; keys PascalCase or snake_case, any case.</summary>
    /// <exception cref="AurousValidationException">naming every unknown key.</exception>
    public static CharacterAttributes FromDictionary(IDictionary dictionary) => throw new NotImplementedException();

    /// <summary>A new object: this one's fields, overwritten by every non-null field of <paramref name="changes"/>.</summary>
    public CharacterAttributes MergeWith(CharacterAttributes? changes) => throw new NotImplementedException();
}
