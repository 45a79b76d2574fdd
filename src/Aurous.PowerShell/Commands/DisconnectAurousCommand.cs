using System.Management.Automation;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Forgets the session context; cmdlets then use the environment variables, if set.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Aurous")]
    public sealed class DisconnectAurousCommand : AurousCmdlet
    {
        protected override void EndProcessing()
        {
            WriteVerbose(AurousContextStore.ClearSession() ? "Cleared the session's Aurous context." : "There was no session context to clear.");
        }
    }
}
