using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>
/// Identity fields. The API replaces the whole object on PATCH (no deep merge), so changing one field
/// means sending <c>current.MergeWith(changes)</c>.
/// </summary>
public sealed class CharacterAttributes
{
    private static readonly string[] FieldNames =
    {
        nameof(Gender), nameof(Age), nameof(Ethnicity), nameof(HairColor),
        nameof(HairStyle), nameof(EyeColor), nameof(BodyType), nameof(AdditionalDetails),
    };

    public string? Gender { get; set; }
    public int? Age { get; set; }
    public string? Ethnicity { get; set; }
    public string? HairColor { get; set; }
    public string? HairStyle { get; set; }
    public string? EyeColor { get; set; }
    public string? BodyType { get; set; }
    public string? AdditionalDetails { get; set; }

    /// <summary>Fields a newer API returns that this version does not know; kept so a merge sends them back.</summary>
    /// <remarks>
    /// Internal: PowerShell completes a hashtable for -Attributes from the type's public settable properties, and
    /// this is not a key anyone can pass.
    /// </remarks>
    [JsonExtensionData]
    [JsonInclude]
    internal IDictionary<string, JsonElement>? AdditionalFields { get; set; }

    /// <summary>The field names <see cref="FromDictionary"/> accepts, in PascalCase.</summary>
    public static IReadOnlyList<string> KnownFields => FieldNames;

    /// <summary>
    /// Builds attributes from a hashtable; keys PascalCase or snake_case, any case. Each value must be one value of the
    /// field's type (<see cref="AurousValidation.Age"/>, <see cref="AurousValidation.AttributeText"/>): a nested table, a
    /// list or a boolean is refused rather than sent as its type name. Null or blank values leave a field unset.
    /// </summary>
    /// <exception cref="AurousValidationException">naming every unknown key, or a value that is not valid for its field.</exception>
    public static CharacterAttributes FromDictionary(IDictionary dictionary)
    {
        if (dictionary is null)
        {
            throw new ArgumentNullException(nameof(dictionary));
        }

        var unknown = new List<string>();
        var result = new CharacterAttributes();
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
            var field = FieldNames.FirstOrDefault(f => string.Equals(f, key.Replace("_", ""), StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                unknown.Add(key);
                continue;
            }

            result.Set(field, entry.Value);
        }

        if (unknown.Count > 0)
        {
            throw new AurousValidationException(
                $"Unknown attribute{(unknown.Count == 1 ? "" : "s")}: {string.Join(", ", unknown)}. Known attributes: {string.Join(", ", FieldNames)}.",
                AurousErrors.UnknownAttribute,
                "Attributes");
        }

        return result;
    }

    /// <summary>A new object: this one's fields, overwritten by every non-null field of <paramref name="changes"/>.</summary>
    public CharacterAttributes MergeWith(CharacterAttributes? changes)
    {
        var merged = new CharacterAttributes
        {
            Gender = changes?.Gender ?? Gender,
            Age = changes?.Age ?? Age,
            Ethnicity = changes?.Ethnicity ?? Ethnicity,
            HairColor = changes?.HairColor ?? HairColor,
            HairStyle = changes?.HairStyle ?? HairStyle,
            EyeColor = changes?.EyeColor ?? EyeColor,
            BodyType = changes?.BodyType ?? BodyType,
            AdditionalDetails = changes?.AdditionalDetails ?? AdditionalDetails,
        };

        if (AdditionalFields is { Count: > 0 } || changes?.AdditionalFields is { Count: > 0 })
        {
            merged.AdditionalFields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var pair in (AdditionalFields ?? Empty).Concat(changes?.AdditionalFields ?? Empty))
            {
                merged.AdditionalFields[pair.Key] = pair.Value;
            }
        }

        return merged;
    }

    /// <summary>The snake_case names of the fields this object sets, in API order.</summary>
    public IReadOnlyList<string> SetFields() =>
        FieldNames.Where(f => Get(f) is not null).Select(Serialization.SnakeCase.From).ToList();

    public override string ToString() =>
        string.Join(", ", FieldNames.Select(f => (f, v: Get(f))).Where(p => p.v is not null).Select(p => $"{p.f}={p.v}"));

    private static readonly IDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    private object? Get(string field) => field switch
    {
        nameof(Gender) => Gender,
        nameof(Age) => Age,
        nameof(Ethnicity) => Ethnicity,
        nameof(HairColor) => HairColor,
        nameof(HairStyle) => HairStyle,
        nameof(EyeColor) => EyeColor,
        nameof(BodyType) => BodyType,
        _ => AdditionalDetails,
    };

    private void Set(string field, object? value)
    {
        if (field == nameof(Age))
        {
            Age = AurousValidation.Age(value);
            return;
        }

        var text = AurousValidation.AttributeText(Serialization.SnakeCase.From(field), value);
        switch (field)
        {
            case nameof(Gender): Gender = text; break;
            case nameof(Ethnicity): Ethnicity = text; break;
            case nameof(HairColor): HairColor = text; break;
            case nameof(HairStyle): HairStyle = text; break;
            case nameof(EyeColor): EyeColor = text; break;
            case nameof(BodyType): BodyType = text; break;
            default: AdditionalDetails = text; break;
        }
    }
}
