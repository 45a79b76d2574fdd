namespace Aurous.Client;

/// <summary>One character leaving the wait, with the progress counts at that moment.</summary>
public sealed class CharacterWaitResult
{
    public CharacterWaitResult(string id, CharacterWaitOutcome outcome, Character? character, AurousApiException? error, int pending, int settled, int failedCount)
    {
        Id = id;
        Outcome = outcome;
        Character = character;
        Error = error;
        Pending = pending;
        Settled = settled;
        FailedCount = failedCount;
    }

    public string Id { get; }
    public CharacterWaitOutcome Outcome { get; }
    public Character? Character { get; }
    public AurousApiException? Error { get; }

    /// <summary>Characters still being polled after this one left.</summary>
    public int Pending { get; }

    /// <summary>Characters that reached reviewing or ready so far.</summary>
    public int Settled { get; }

    /// <summary>Characters that failed, timed out, vanished or could not be reached so far.</summary>
    public int FailedCount { get; }
}
