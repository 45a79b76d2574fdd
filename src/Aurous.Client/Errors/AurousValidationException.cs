using System;

namespace Aurous.Client;

/// <summary>Bad input caught before any request was sent.</summary>
public sealed class AurousValidationException : AurousException
{
    public AurousValidationException(string message, string errorId, string? parameterName)
        : base(message, errorId)
    {
        ParameterName = parameterName;
    }

    public string? ParameterName { get; }
}
