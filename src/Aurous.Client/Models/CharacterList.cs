using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>
/// One page of GET /v1/characters: {"object":"list","data":[…],"has_more":…}. The public docs do not specify
/// this endpoint; the shape is Stripe's list, which the docs' "Stripe pattern" points to.
/// </summary>
public sealed class CharacterList
{
    public const int MinLimit = 1;
    public const int MaxLimit = 100;

    public string Object { get; set; } = "";
    public string? Url { get; set; }
    public IReadOnlyList<Character>? Data { get; set; }
    public bool HasMore { get; set; }

    /// <summary>Request id and attempts of the call that returned this page.</summary>
    [JsonIgnore]
    public AurousResponseInfo? LastResponse { get; set; }
}
