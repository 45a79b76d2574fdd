using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Emulator;

/// <summary>The wire format: snake_case, nulls written, plus the canonical form idempotency compares.</summary>
internal static class EmulatorJson
{
    public const int MaxBodyBytes = 64 * 1024;

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

    /// <summary>Reads the request body; an empty body is null. Anything that is not JSON is a 400.</summary>
    public static async Task<JsonElement?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw ApiErrors.InvalidRequest($"The request body is larger than {MaxBodyBytes} bytes.", null);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw ApiErrors.InvalidRequest($"The request body is larger than {MaxBodyBytes} bytes.", null);
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
            using var document = JsonDocument.Parse(bytes, ParseOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw ApiErrors.InvalidRequest($"The request body is not valid JSON: {ex.Message}", null);
        }
    }

    /// <summary>
    /// Key order and whitespace never change what a request means, so idempotency compares this form.
    /// An absent body and {} mean the same thing for every route.
    /// </summary>
    public static string Canonicalize(JsonElement? body)
    {
        if (body is null)
        {
            return "{}";
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteCanonical(writer, body.Value);
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
