namespace Aurous.Client;

/// <summary>One log line, already redacted (no key, no ref URL token).</summary>
public sealed class AurousLogEvent
{
    public AurousLogEvent(AurousLogLevel level, string message)
    {
        Level = level;
        Message = message;
    }

    public AurousLogLevel Level { get; }
    public string Message { get; }

    public override string ToString() => $"{Level}: {Message}";
}
