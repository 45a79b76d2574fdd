using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Client.Serialization;

/// <summary>Reads snake_case enum values in any case; a value this version does not know becomes the enum's 0 (Unknown).</summary>
internal sealed class TolerantEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotImplementedException();

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => throw new NotImplementedException();
}
