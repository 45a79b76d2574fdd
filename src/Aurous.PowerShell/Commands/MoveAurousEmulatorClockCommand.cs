using System;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Moves the emulator's clock forward, so a test needs no sleep: syntheses end, idempotency keys and ref URLs expire,
    /// the emulator's buckets refill. The client's own buckets keep real time.
    /// </summary>
    [Cmdlet(VerbsCommon.Move, "AurousEmulatorClock", DefaultParameterSetName = SecondsSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AurousEmulatorClock))]
    public sealed class MoveAurousEmulatorClockCommand : AurousEmulatorCmdlet
    {
        private const string SecondsSet = "Seconds";
        private const string DurationSet = "Duration";

        [Parameter(ParameterSetName = SecondsSet, Mandatory = true, Position = 0)]
        [ValidateRange(0, 315360000)]
        public double Seconds { get; set; }

        [Parameter(ParameterSetName = DurationSet, Mandatory = true)]
        public TimeSpan Duration { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            TimeSpan by = ParameterSetName == DurationSet ? Duration : TimeSpan.FromSeconds(Seconds);
            EmulatorTarget target = ResolveTarget();
            if (ShouldProcess(target.Description, $"Move the clock forward by {by}")
                && TryRunLocal(ct => target.Control.AdvanceClockAsync(by, ct), Emulator, out AurousEmulatorClock clock))
            {
                WriteVerbose($"The emulator's clock reads {clock.Now:o}, {clock.Offset} ahead of real time.");
                if (PassThru)
                {
                    WriteObject(clock);
                }
            }
        }
    }
}
