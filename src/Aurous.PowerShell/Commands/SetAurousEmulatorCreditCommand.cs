using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Sets the credits a team has on the emulator (by default the team of the key in use), e.g. to try a 402.</summary>
    [Cmdlet(VerbsCommon.Set, "AurousEmulatorCredit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class SetAurousEmulatorCreditCommand : AurousEmulatorCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateRange(0, int.MaxValue)]
        public int Credits { get; set; }

        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_]{1,64}$")]
        public string? Team { get; set; }

        protected override void ProcessRecord()
        {
            EmulatorTarget target = ResolveTarget();
            string team = ResolveTeam(target, Team);
            if (ShouldProcess(target.DescribeTeam(team), $"Set the credits to {Credits}"))
            {
                TryRunLocal(ct => target.Control.SetCreditsAsync(team, Credits, ct), Emulator);
            }
        }
    }
}
