using System.Management.Automation;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Forgets the connection in every runspace of the process; cmdlets then use the environment variables, if set.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Aurous")]
    public sealed class DisconnectAurousCommand : AurousCmdlet
    {
        protected override void EndProcessing()
        {
            WriteVerbose(AurousContextStore.ClearSession() ? "Disconnected: no runspace of this process uses the key any more." : "There was no session context to clear.");
        }
    }
}
