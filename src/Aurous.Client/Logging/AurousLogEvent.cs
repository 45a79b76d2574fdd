namespace Aurous.Client;

/// <summary>One log line, already redacted (no key, no ref URL token).</summary>
public sealed class AurousLogEvent
{
    public AurousLogEvent(AurousLogLevel level, string message, AurousWait? wait = null)
    {
        Level = level;
        Message = message;
        Wait = wait;
    }

    public AurousLogLevel Level { get; }
    public string Message { get; }

    /// <summary>Set when the line announces a wait the caller did not ask for, of <see cref="AurousWait.VisibleAfter"/> or more.</summary>
    public AurousWait? Wait { get; }

    public override string ToString() => $"{Level}: {Message}";
}
