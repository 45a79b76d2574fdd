using System;

namespace Aurous.Client;

/// <summary>Base of every error the client raises; <see cref="ErrorId"/> comes from <see cref="AurousErrors"/>.</summary>
public class AurousException : Exception
{
    public AurousException(string message, string errorId, AurousErrorCategory category, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
    }

    public string ErrorId { get; }
    public AurousErrorCategory Category { get; }
}
