namespace Aurous.Client;

public enum CharacterWaitOutcome
{
    /// <summary>Reached reviewing or ready.</summary>
    Settled,
    Failed,
    TimedOut,
    NotFound,
}
