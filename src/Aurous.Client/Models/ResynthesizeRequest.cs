using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>Resynthesize body (4 generations). A null key is generated so retries stay exactly-once.</summary>
public sealed class ResynthesizeRequest
{
    public bool ForceAll { get; set; }

    [JsonIgnore]
    public string? IdempotencyKey { get; set; }
}
