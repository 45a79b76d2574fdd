namespace Aurous.Client;

public enum CharacterWaitOutcome
{
    /// <summary>Reached reviewing or ready.</summary>
    Settled,
    Failed,
    TimedOut,
    NotFound,

    /// <summary>The server gave no answer for the unreachable timeout; the character's state is unknown.</summary>
    Unreachable,
}
