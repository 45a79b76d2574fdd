namespace Aurous.Client;

/// <summary>The client cannot be used as configured (no key, http to a non-loopback host, ...).</summary>
public sealed class AurousConfigurationException : AurousException
{
    /// <remarks>Redacted here: configuration messages quote settings, and a URL setting can carry a password.</remarks>
    public AurousConfigurationException(string message, string errorId)
        : base(AurousRedactor.Redact(message), errorId)
    {
    }
}
