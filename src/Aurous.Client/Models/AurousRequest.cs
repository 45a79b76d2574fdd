namespace Aurous.Client;

/// <summary>A call to a route the client has no typed method for (Invoke-AurousRequest).</summary>
public sealed class AurousRequest
{
    /// <summary>GET, POST, PATCH or DELETE.</summary>
    public string Method { get; set; } = "GET";

    /// <summary>A path under the base URI, such as /v1/images/estimate, with a query if needed.</summary>
    public string Path { get; set; } = "";

    /// <summary>JSON text; null sends no body. See <see cref="AurousJson.Serialize"/> to build it.</summary>
    public string? Body { get; set; }

    /// <summary>Generated for every POST when null; sent as given on PATCH and DELETE; refused on GET.</summary>
    public string? IdempotencyKey { get; set; }
}
