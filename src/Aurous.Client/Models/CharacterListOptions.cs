using System;
using System.Collections.Generic;

namespace Aurous.Client;

/// <summary>What <see cref="AurousClient.ListCharactersAsync"/> yields: filters applied to each page as it arrives.</summary>
public sealed class CharacterListOptions
{
    /// <summary>Only characters in one of these states; null or empty for every state.</summary>
    public IReadOnlyCollection<CharacterStatus>? Statuses { get; set; }

    /// <summary>Any further test a character must pass (the module's -Name wildcards).</summary>
    public Func<Character, bool>? Where { get; set; }

    /// <summary>Characters per request, 1 to 100. The most by default: fewer calls on the characters_get bucket.</summary>
    public int PageSize { get; set; } = CharacterList.MaxLimit;
}
