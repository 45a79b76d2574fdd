using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Emulator;

/// <summary>The wire format: snake_case, nulls written, plus the canonical form idempotency compares.</summary>
internal static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 32,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// Reads the request body; an empty body is null. Anything that is not JSON, or holds text that cannot be
    /// decoded (invalid UTF-8, an unpaired surrogate escape), is a 400 naming the field where one can be named.
    /// </summary>
    public static async Task<JsonElement?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > RequestLimits.MaxBodyBytes)
            {
                throw ApiErrors.BodyTooLarge(request.ContentLength, RequestLimits.MaxBodyBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            RejectUndecodableText(bytes);
            using var document = JsonDocument.Parse(bytes, ParseOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw FirstInvalidUtf8(bytes) is int offset
                ? ApiErrors.InvalidRequest(
                    $"The request body is not valid UTF-8 (byte 0x{bytes[offset]:X2} at offset {offset}) and cannot be read as JSON, so no single field can be named. Send the body as UTF-8 encoded JSON.",
                    null)
                : ApiErrors.InvalidRequest($"The request body is not valid JSON: {ex.Message}", null);
        }
        catch (Exception ex) when (ex is not ApiException)
        {
            throw NotInterpretable(ex);
        }
    }

    /// <summary>
    /// Runs code that looks only at the caller's body. Whatever it throws is then the body's doing, so it becomes a
    /// 400 the client will not retry, never a 500 that a retry with the same bytes can only repeat.
    /// </summary>
    public static T FromBody<T>(Func<T> interpret)
    {
        try
        {
            return interpret();
        }
        catch (Exception ex) when (ex is not ApiException)
        {
            throw NotInterpretable(ex);
        }
    }

    private static ApiException NotInterpretable(Exception ex) =>
        ApiErrors.InvalidRequest($"The request body could not be interpreted ({ex.GetType().Name}: {ex.Message}).", null);

    /// <summary>
    /// System.Text.Json parses strings holding invalid UTF-8 or an unpaired \uD800-\uDFFF escape and only fails
    /// when they are read, deep inside validation. Finding them up front, with their path, turns that into a 400
    /// whose param names the field.
    /// </summary>
    private static void RejectUndecodableText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ParseOptions.MaxDepth });
        var path = new List<PathSegment>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path[^1].Property = Decode(ref reader, path, isPropertyName: true);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    path.Add(new PathSegment(reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    ValueDone(path);
                    break;
                default:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        Decode(ref reader, path, isPropertyName: false);
                    }

                    ValueDone(path);
                    break;
            }
        }
    }

    private static string Decode(ref Utf8JsonReader reader, List<PathSegment> path, bool isPropertyName)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var where = isPropertyName ? ParamOf(path.SkipLast(1)) : ParamOf(path);
            var what = isPropertyName ? $"A property name in {where ?? "the body"}" : where!;
            var raw = reader.ValueSpan;
            var problem = FirstInvalidUtf8(raw) is int index
                ? $"is not valid UTF-8 (byte 0x{raw[index]:X2} at offset {reader.TokenStartIndex + 1 + index} of the body). Send the body encoded as UTF-8."
                : "contains an unpaired surrogate escape (\\uD800-\\uDFFF without its partner), which is not text. Escape whole characters only.";
            throw ApiErrors.InvalidRequest($"{what} {problem}", where);
        }
    }

    /// <summary>In an array, the next value has the next index.</summary>
    private static void ValueDone(List<PathSegment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1].Index++;
        }
    }

    /// <summary>The param spelling the rest of the emulator uses: attributes.age, items[2].name; null for the body itself.</summary>
    private static string? ParamOf(IEnumerable<PathSegment> path)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsArray)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else if (segment.Property is not null)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(segment.Property);
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }

    private sealed class PathSegment(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public string? Property { get; set; }

        public int Index { get; set; }
    }

    /// <summary>
    /// Key order and whitespace never change what a request means, so idempotency compares this form.
    /// An absent body and {} mean the same thing for every route.
    /// </summary>
    public static string Canonicalize(JsonElement? body) => body is null ? "{}" : FromBody(() => Canonical(body.Value));

    private static string Canonical(JsonElement body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteCanonical(writer, body);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
