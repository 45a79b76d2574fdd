using System.Management.Automation;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Shows the context the next cmdlet would use (the session's, else the environment's), key masked.</summary>
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
                    WriteVerbose($"No context: run Connect-Aurous or set {AurousContext.ApiKeyVariable}.");
                }
            }
            catch (Aurous.Client.AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, null));
            }
        }
    }
}
