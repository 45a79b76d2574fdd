using System.Management.Automation;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Removes every fault rule from the emulator: requests are served normally again.</summary>
    [Cmdlet(VerbsCommon.Clear, "AurousEmulatorFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class ClearAurousEmulatorFaultCommand : AurousEmulatorCmdlet
    {
        protected override void ProcessRecord()
        {
            EmulatorTarget target = ResolveTarget();
            if (ShouldProcess(target.Description, "Clear every fault"))
            {
                TryRunLocal(ct => target.Control.ClearFaultsAsync(ct), Emulator);
            }
        }
    }
}
