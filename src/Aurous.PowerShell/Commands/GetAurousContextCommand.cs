using System.Management.Automation;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Shows the context the next cmdlet would use (Connect-Aurous's for the process, else the environment's), key masked.</summary>
    [Cmdlet(VerbsCommon.Get, "AurousContext")]
    [OutputType(typeof(AurousContext))]
    public sealed class GetAurousContextCommand : AurousCmdlet
    {
        protected override void EndProcessing()
        {
            try
            {
                AurousContext? context = AurousContextStore.Resolve();
                if (context != null)
                {
                    WriteObject(context);
                }
                else
                {
                    // A warning, not an error: "am I connected?" is a fair question, and a script asks it with
                    // if (Get-AurousContext), which a written object saying "not connected" would answer wrongly.
                    WriteWarning($"Not connected: no Connect-Aurous in this process and {AurousContext.ApiKeyVariable} is not set. Run Connect-Aurous -ApiKey (Read-Host -AsSecureString 'Aurous API key'), or set {AurousContext.ApiKeyVariable}.");
                }
            }
            catch (Aurous.Client.AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, null));
            }
        }
    }
}
