using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aurous.Client.Serialization;

/// <summary>
/// A string property that holds an enum member's name ("Ready", "Front") and travels as the wire value ("ready",
/// "front"), read as tolerantly as <see cref="TolerantEnumConverter{TEnum}"/> reads the enum: a value this version
/// does not know becomes "Unknown".
/// </summary>
internal sealed class EnumNameConverter<TEnum> : JsonConverter<string>
    where TEnum : struct, Enum
{
    private static readonly TolerantEnumConverter<TEnum> Wire = new();

    public override bool HandleNull => true;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Wire.Read(ref reader, typeof(TEnum), options).ToString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        Wire.Write(writer, TolerantEnumConverter<TEnum>.Parse(value), options);
}
