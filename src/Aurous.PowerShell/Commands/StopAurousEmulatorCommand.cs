using System;
using System.Linq;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Stops an emulator Start-AurousEmulator started, that process and no other, and disconnects the session if it was
    /// connected to it. With no -Emulator and nothing piped: the emulator the session is connected to, if this process
    /// started it.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "AurousEmulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class StopAurousEmulatorCommand : AurousEmulatorCmdlet
    {
        private bool _stoppedAny;

        protected override void ProcessRecord()
        {
            if (Emulator != null)
            {
                Stop(Emulator);
            }
        }

        protected override void EndProcessing()
        {
            // Piped input that held no emulator means none, not the connected one.
            if (_stoppedAny || MyInvocation.ExpectingInput)
            {
                return;
            }

            Uri? connected = AurousContextStore.GetSession()?.BaseUri;
            AurousEmulator? emulator = AurousEmulator.Started.FirstOrDefault(e => e.BaseUri == connected);
            if (emulator == null)
            {
                var missing = new AurousConfigurationException("No emulator to stop: the session is not connected to one this PowerShell process started. Pass the object Start-AurousEmulator returned: $emulator | Stop-AurousEmulator.", AurousErrors.NotAnEmulator);
                ThrowTerminatingError(AurousErrorRecords.From(missing, null));
            }

            Stop(emulator!);
        }

        private void Stop(AurousEmulator emulator)
        {
            _stoppedAny = true;
            if (!ShouldProcess($"{emulator.BaseUri} (process {emulator.ProcessId})", "Stop the emulator"))
            {
                return;
            }

            WriteVerbose(emulator.Stop() ? $"Stopped the emulator at {emulator.BaseUri} (process {emulator.ProcessId})." : $"The emulator at {emulator.BaseUri} (process {emulator.ProcessId}) had already ended.");
            if (AurousContextStore.GetSession()?.BaseUri == emulator.BaseUri && AurousContextStore.ClearSession())
            {
                WriteVerbose("Disconnected: the session was connected to that emulator.");
            }
        }
    }
}
