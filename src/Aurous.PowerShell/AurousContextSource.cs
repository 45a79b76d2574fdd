namespace Aurous.PowerShell
{
    /// <summary>Where the context's API key came from.</summary>
    internal enum AurousContextSource
    {
        /// <summary>Connect-Aurous set it for this PowerShell process: every runspace of it uses it.</summary>
        Session,

        /// <summary>Read from AUROUS_API_KEY (and AUROUS_BASE_URL, AUROUS_VERSION) for this call.</summary>
        Environment,
    }
}
