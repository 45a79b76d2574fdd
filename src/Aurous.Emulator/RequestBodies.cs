using System.Text.Json;

namespace Aurous.Emulator;

internal sealed record UpdateRequest(string? Name, bool SetAttributes, CharacterAttributes? Attributes);

internal sealed record CreateRequest(string Name, CharacterAttributes? Attributes);

internal sealed record RegenerateRequest(string Pose, string? PromptOverride);

/// <summary>
/// Turns request bodies into typed requests, refusing anything the contract does not allow with a 400 whose
/// param names the field. Nothing here touches state, so a refused request changes nothing.
/// </summary>
internal static class RequestBodies
{
    public const int MaxNameLength = 80;
    public const int MaxTextLength = 1000;

    private static readonly string[] UpdateFields = ["name", "attributes"];
    private static readonly string[] CreateFields = ["name", "attributes"];
    private static readonly string[] ResynthesizeFields = ["force_all"];
    private static readonly string[] RegenerateFields = ["pose", "prompt_override"];
    private static readonly string[] AttributeFields =
        ["gender", "age", "ethnicity", "hair_color", "hair_style", "eye_color", "body_type", "additional_details"];

    public static UpdateRequest Update(JsonElement? body) => EmulatorJson.FromBody(() => ReadUpdate(body));

    public static CreateRequest Create(JsonElement? body) => EmulatorJson.FromBody(() => ReadCreate(body));

    /// <summary>force_all is validated but changes nothing: every resynthesis renders all four poses (README).</summary>
    public static void Resynthesize(JsonElement? body) => EmulatorJson.FromBody(() => ReadForceAll(body));

    public static RegenerateRequest Regenerate(JsonElement? body) => EmulatorJson.FromBody(() => ReadRegenerate(body));

    private static UpdateRequest ReadUpdate(JsonElement? body)
    {
        var fields = Object(body, required: true);
        RejectUnknown(fields, UpdateFields, prefix: "");
        string? name = fields.TryGetValue("name", out var nameValue) ? Name(nameValue) : null;
        var setAttributes = fields.TryGetValue("attributes", out var attributesValue);
        return new UpdateRequest(name, setAttributes, setAttributes ? Attributes(attributesValue) : null);
    }

    private static CreateRequest ReadCreate(JsonElement? body)
    {
        var fields = Object(body, required: true);
        RejectUnknown(fields, CreateFields, prefix: "");
        if (!fields.TryGetValue("name", out var nameValue))
        {
            throw ApiErrors.InvalidRequest("name is required.", "name");
        }

        return new CreateRequest(Name(nameValue), fields.TryGetValue("attributes", out var attributes) ? Attributes(attributes) : null);
    }

    private static bool? ReadForceAll(JsonElement? body)
    {
        var fields = Object(body, required: false);
        RejectUnknown(fields, ResynthesizeFields, prefix: "");
        if (!fields.TryGetValue("force_all", out var forceAll) || forceAll.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return forceAll.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiErrors.InvalidRequest("force_all must be a boolean.", "force_all"),
        };
    }

    private static RegenerateRequest ReadRegenerate(JsonElement? body)
    {
        var fields = Object(body, required: true);
        RejectUnknown(fields, RegenerateFields, prefix: "");
        if (!fields.TryGetValue("pose", out var poseValue) || poseValue.ValueKind == JsonValueKind.Null)
        {
            throw ApiErrors.InvalidRequest("pose is required: one of portrait, front, side, back, other.", "pose");
        }

        var pose = poseValue.ValueKind == JsonValueKind.String ? poseValue.GetString()! : null;
        if (pose is null || !Poses.Regenerable.Contains(pose, StringComparer.Ordinal))
        {
            throw ApiErrors.InvalidRequest($"pose must be one of portrait, front, side, back, other; got {Describe(poseValue)}.", "pose");
        }

        string? promptOverride = null;
        if (fields.TryGetValue("prompt_override", out var promptValue))
        {
            promptOverride = Text(promptValue, "prompt_override");
        }

        return new RegenerateRequest(pose, promptOverride);
    }

    /// <summary>The body as a field map; an absent body is an empty object unless the route needs one.</summary>
    private static Dictionary<string, JsonElement> Object(JsonElement? body, bool required)
    {
        if (body is null)
        {
            if (required)
            {
                throw ApiErrors.InvalidRequest("A JSON object body is required.", null);
            }

            return [];
        }

        if (body.Value.ValueKind != JsonValueKind.Object)
        {
            throw ApiErrors.InvalidRequest($"The request body must be a JSON object, not {Describe(body.Value)}.", null);
        }

        return body.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>Strict whitelist: a silently ignored field would let a client believe it took effect.</summary>
    private static void RejectUnknown(Dictionary<string, JsonElement> fields, string[] allowed, string prefix)
    {
        var rejected = fields.Keys.Where(k => !allowed.Contains(k, StringComparer.Ordinal)).Select(k => prefix + k).ToList();
        if (rejected.Count > 0)
        {
            throw ApiErrors.InvalidRequest(
                $"Unknown or immutable field(s): {string.Join(", ", rejected)}. Allowed: {string.Join(", ", allowed.Select(a => prefix + a))}.",
                rejected[0]);
        }
    }

    private static string Name(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiErrors.InvalidRequest($"name must be a string, not {Describe(value)}.", "name");
        }

        var name = value.GetString()!;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw ApiErrors.InvalidRequest($"name must be 1 to {MaxNameLength} characters and not blank; got {name.Length}.", "name");
        }

        return name;
    }

    private static CharacterAttributes? Attributes(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ApiErrors.InvalidRequest($"attributes must be an object or null, not {Describe(value)}.", "attributes");
        }

        var fields = value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        RejectUnknown(fields, AttributeFields, prefix: "attributes.");
        string? Field(string name) => fields.TryGetValue(name, out var field) ? Text(field, "attributes." + name) : null;
        return new CharacterAttributes(
            Field("gender"),
            fields.TryGetValue("age", out var age) ? Age(age) : null,
            Field("ethnicity"),
            Field("hair_color"),
            Field("hair_style"),
            Field("eye_color"),
            Field("body_type"),
            Field("additional_details"));
    }

    private static int? Age(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var age) || age is < 0 or > 200)
        {
            // Same wording as the client's rule (AurousValidation.AgeRule), and the number itself when one was sent.
            throw ApiErrors.InvalidRequest($"attributes.age must be a whole number from 0 to 200; got {(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value))}.", "attributes.age");
        }

        return age;
    }

    private static string? Text(JsonElement value, string param)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiErrors.InvalidRequest($"{param} must be a string or null, not {Describe(value)}.", param);
        }

        var text = value.GetString()!;
        if (text.Length > MaxTextLength)
        {
            throw ApiErrors.InvalidRequest($"{param} must be at most {MaxTextLength} characters.", param);
        }

        return text;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>Never cuts between the halves of a surrogate pair, which would put half a character in the message.</summary>
    private static string Truncate(string text) =>
        text.Length <= 40 ? text : text[..(char.IsHighSurrogate(text[39]) ? 39 : 40)] + "…";
}
