namespace Aurous.Client;

/// <summary>What the transport learned about the call that produced a result.</summary>
public sealed class AurousResponseInfo
{
    public string? RequestId { get; set; }
    public string? IdempotencyKey { get; set; }
    public bool Replayed { get; set; }
    public int StatusCode { get; set; }
    public int Attempts { get; set; }
}
