using System;

namespace Aurous.Client;

public sealed class CharacterWaitOptions
{
    /// <summary>How long a wait goes on without an answer from the server before it gives up: 30 s.</summary>
    public static readonly TimeSpan DefaultUnreachableTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Overall deadline; null waits until every character settles, the server stays unreachable, or the caller cancels.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Shortest interval between polls of one character; default 2 s, stretched to stay within the characters_get budget.</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// How long polls may go without an answer (network errors, 5xx, no response) before every character still pending
    /// leaves the wait with an error; <see cref="DefaultUnreachableTimeout"/> when null. Applies with or without <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan? UnreachableTimeout { get; set; }
}
