using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Client.Serialization;

/// <summary>
/// Reads snake_case enum values in any case ("front", "FRONT", "hair_color"); a value this version does not
/// know, a number or null becomes the enum's 0 (Unknown), so a newer API never breaks deserialisation.
/// </summary>
internal sealed class TolerantEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override bool HandleNull => true;

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return default;
        }

        return Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToWire(value));

    /// <summary>Wire value to enum member; only letters and underscores count, so "1" or "a,b" never select a member.</summary>
    public static TEnum Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return default;
        }

        return Known.TryGetValue(value!, out var known) ? known : ParseUnusual(value!);
    }

    public static string ToWire(TEnum value) => SnakeCase.From(value.ToString());

    // Every response carries a status and several poses: the documented spellings are a dictionary hit.
    private static readonly Dictionary<string, TEnum> Known = BuildKnown();

    private static Dictionary<string, TEnum> BuildKnown()
    {
        var known = new Dictionary<string, TEnum>(StringComparer.OrdinalIgnoreCase);
        foreach (TEnum member in Enum.GetValues(typeof(TEnum)))
        {
            known[ToWire(member)] = member;
        }

        return known;
    }

    private static TEnum ParseUnusual(string value)
    {
        var compact = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == '_' || c == '-')
            {
                continue;
            }

            if (!char.IsLetter(c))
            {
                return default;
            }

            compact.Append(c);
        }

        return Enum.TryParse<TEnum>(compact.ToString(), ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(TEnum), parsed)
            ? parsed
            : default;
    }
}
