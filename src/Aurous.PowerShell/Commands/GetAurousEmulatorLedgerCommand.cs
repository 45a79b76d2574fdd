using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Reads a team's ledger on the emulator: the credits left and every charge. By default the team of the key in use.</summary>
    [Cmdlet(VerbsCommon.Get, "AurousEmulatorLedger")]
    [OutputType(typeof(AurousEmulatorLedger))]
    public sealed class GetAurousEmulatorLedgerCommand : AurousEmulatorCmdlet
    {
        [Parameter(Position = 0)]
        [ValidatePattern("^[A-Za-z0-9_]{1,64}$")]
        public string? Team { get; set; }

        protected override void ProcessRecord()
        {
            EmulatorTarget target = ResolveTarget();
            string team = ResolveTeam(target, Team);
            if (TryRunLocal(ct => target.Control.GetLedgerAsync(team, ct), Emulator, out AurousEmulatorLedger ledger))
            {
                WriteObject(ledger);
            }
        }
    }
}
