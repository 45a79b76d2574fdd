using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Client.Serialization;

/// <summary>
/// A string property that holds a JSON value of any kind (object, string, number, ...) exactly as it came, as JSON
/// text, and writes it back unchanged: for fields whose shape the docs leave open.
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value);
}
