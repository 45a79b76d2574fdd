namespace Aurous.Client;

/// <summary>The client cannot be used as configured (no key, http to a non-loopback host, ...).</summary>
public sealed class AurousConfigurationException : AurousException
{
    public AurousConfigurationException(string message, string errorId)
        : base(message, errorId, AurousErrors.CategoryOf(errorId))
    {
    }
}
