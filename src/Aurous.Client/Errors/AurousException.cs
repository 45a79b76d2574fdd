using System;

namespace Aurous.Client;

/// <summary>
/// Base of every error the client raises; <see cref="ErrorId"/> comes from <see cref="AurousErrors"/>. An error about
/// a character says which one first ("Character char_… (Aurora): …"), so a batch of failures can be told apart.
/// </summary>
public class AurousException : Exception
{
    public AurousException(string message, string errorId, AurousErrorCategory category, Exception? innerException = null, string? characterId = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        CharacterId = characterId;
    }

    /// <summary>An error whose category is the one <see cref="AurousErrors"/> gives its ErrorId.</summary>
    public AurousException(string message, string errorId, string? characterId = null)
        : this(message, errorId, AurousErrors.CategoryOf(errorId), characterId: characterId)
    {
    }

    public string ErrorId { get; }
    public AurousErrorCategory Category { get; }

    /// <summary>The character the failed call was about; null for calls about no existing character.</summary>
    public string? CharacterId { get; internal set; }

    /// <summary>
    /// The character's name, when whoever reports the error knows it: the client for a create, the module for a
    /// character object that was piped in. Settable for that reason; it only changes <see cref="Message"/>'s subject.
    /// </summary>
    public string? CharacterName { get; set; }

    /// <summary>The message without its "Character …:" subject.</summary>
    public string Detail => base.Message;

    public override string Message =>
        CharacterId is null && CharacterName is null ? Detail : $"{AurousMessages.Subject(CharacterId, CharacterName)}: {Detail}";
}
