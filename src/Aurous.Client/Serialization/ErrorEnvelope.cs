namespace Aurous.Client.Serialization;

/// <summary>The Stripe-style error body: {"error":{"type","code","message","param"}}.</summary>
internal sealed class ErrorEnvelope
{
    public ErrorBody? Error { get; set; }
}

internal sealed class ErrorBody
{
    public string? Type { get; set; }
    public string? Code { get; set; }
    public string? Message { get; set; }
    public string? Param { get; set; }
}
