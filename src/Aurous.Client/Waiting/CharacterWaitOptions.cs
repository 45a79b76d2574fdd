using System;

namespace Aurous.Client;

public sealed class CharacterWaitOptions
{
    /// <summary>Overall deadline; null waits until every character settles or the caller cancels.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Shortest interval between polls of one character; default 2 s, stretched to stay within the characters_get budget.</summary>
    public TimeSpan? PollInterval { get; set; }
}
