namespace Aurous.Client;

/// <summary>What the transport learned about the call that produced a result.</summary>
public sealed class AurousResponseInfo
{
    public string? RequestId { get; set; }
    public string? IdempotencyKey { get; set; }
    public bool Replayed { get; set; }
    public int StatusCode { get; set; }
    public int Attempts { get; set; }

    /// <summary>One line a person reads, e.g. in an Export-Csv column: "HTTP 200, request req_…, 2 attempts, replayed".</summary>
    public override string ToString() =>
        $"HTTP {StatusCode}, request {RequestId ?? "(none)"}"
        + (Attempts > 1 ? $", {Attempts} attempts" : "")
        + (Replayed ? ", replayed" : "")
        + (IdempotencyKey is null ? "" : $", idempotency key {IdempotencyKey}");
}
