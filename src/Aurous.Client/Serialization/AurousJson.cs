using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aurous.Client;

/// <summary>
/// JSON for raw requests, to and from plain .NET values only (dictionaries, lists, strings, numbers, booleans,
/// null), so no System.Text.Json type crosses into the module, which may see another copy of that library.
/// </summary>
public static class AurousJson
{
    private const int MaxDepth = 64;

    /// <summary>
    /// Writes a body: IDictionary (string keys) as an object, any other IEnumerable as an array, strings, numbers,
    /// booleans, enums (by name), dates (ISO 8601) and Guids as values.
    /// </summary>
    /// <exception cref="AurousValidationException">InvalidRequestBody, naming the value that cannot be JSON.</exception>
    public static string Serialize(object? value)
    {
        using var stream = new MemoryStream();
        // Relaxed: the body goes to the API, never into HTML, and reads as written in -Debug output ("+", "'" unescaped).
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value, "body", 0);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Checks that <paramref name="json"/> is one JSON document, with a message saying where it is not.</summary>
    /// <exception cref="AurousValidationException">InvalidRequestBody.</exception>
    public static string Validate(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return json;
        }
        catch (JsonException e)
        {
            throw new AurousValidationException($"The body is not valid JSON: {e.Message} Pass a hashtable, or a JSON string such as '{{\"name\":\"Aurora\"}}'.", AurousErrors.InvalidRequestBody, "Body");
        }
    }

    /// <summary>
    /// Reads a response: objects become <see cref="OrderedDictionary"/> (the server's key order), arrays
    /// <c>object?[]</c>, whole numbers <see cref="long"/> (<see cref="decimal"/> or <see cref="double"/> past its range),
    /// other numbers <see cref="double"/>. Text stays text: a timestamp is returned exactly as the server wrote it.
    /// </summary>
    /// <exception cref="AurousException">InvalidResponse, when <paramref name="json"/> is not JSON.</exception>
    public static object? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new AurousException($"The answer is not valid JSON: {e.Message}", AurousErrors.InvalidResponse);
        }
    }

    private static object? Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new OrderedDictionary(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = Read(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                var items = new List<object?>();
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Read(item));
                }

                return items.ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var whole))
                {
                    return whole;
                }

                var text = element.GetRawText();
                var isWhole = text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
                return isWhole && element.TryGetDecimal(out var large) ? large : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static void Write(Utf8JsonWriter writer, object? value, string where, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Unwritable($"{where} is nested more than {MaxDepth} levels deep (does it contain itself?).");
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case Enum member:
                writer.WriteStringValue(member.ToString());
                return;
            case DateTimeOffset moment:
                writer.WriteStringValue(moment.ToString("O", CultureInfo.InvariantCulture));
                return;
            case DateTime date:
                writer.WriteStringValue(date.ToString("O", CultureInfo.InvariantCulture));
                return;
            case Guid guid:
                writer.WriteStringValue(guid.ToString("D"));
                return;
            case double d:
                writer.WriteNumberValue(Finite(d, where));
                return;
            case float f:
                writer.WriteNumberValue((float)Finite(f, where));
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case ulong big:
                writer.WriteNumberValue(big);
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    var name = entry.Key as string ?? throw Unwritable($"{where} has a key of type {entry.Key.GetType().Name}; JSON object keys are strings.");
                    writer.WritePropertyName(name);
                    Write(writer, entry.Value, $"{where}.{name}", depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in sequence)
                {
                    Write(writer, item, $"{where}[{index++}]", depth + 1);
                }

                writer.WriteEndArray();
                return;
            default:
                throw Unwritable($"{where} is a {value.GetType().FullName}, which has no JSON form here; use a hashtable, an array, a string, a number, a boolean or $null.");
        }
    }

    private static double Finite(double number, string where) =>
        double.IsNaN(number) || double.IsInfinity(number) ? throw Unwritable($"{where} is {number}, which JSON cannot represent.") : number;

    private static AurousValidationException Unwritable(string message) => new("The body cannot be sent as JSON: " + message, AurousErrors.InvalidRequestBody, "Body");
}
