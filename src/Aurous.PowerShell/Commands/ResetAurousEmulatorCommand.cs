using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Puts a team back as it started (by default the team of the key in use), or with -All the whole emulator; this
    /// machine's client-side rate-limit buckets for it start full again too, so the next test is never paced by the last.
    /// </summary>
    [Cmdlet(VerbsCommon.Reset, "AurousEmulator", DefaultParameterSetName = TeamSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class ResetAurousEmulatorCommand : AurousEmulatorCmdlet
    {
        private const string TeamSet = "Team";
        private const string AllSet = "All";

        [Parameter(ParameterSetName = TeamSet)]
        [ValidatePattern("^[A-Za-z0-9_]{1,64}$")]
        public string? Team { get; set; }

        [Parameter(ParameterSetName = AllSet, Mandatory = true)]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            EmulatorTarget target = ResolveTarget();
            string? team = All ? null : ResolveTeam(target, Team);
            string what = team == null ? target.Description : target.DescribeTeam(team);
            if (ShouldProcess(what, team == null ? "Reset every team, the faults and the clock" : "Reset the team's characters, ledger, credits, idempotency keys and rate limits")
                && TryRunLocal(ct => target.Control.ResetAsync(team, ct), Emulator))
            {
                WriteVerbose($"Reset {what}, and this machine's rate-limit buckets for {(team == null ? "every key" : "its key")} there.");
            }
        }
    }
}
