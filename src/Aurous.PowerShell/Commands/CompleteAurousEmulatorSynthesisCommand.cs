using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Ends a running synthesis on the emulator now, reviewing or (-Failed) failed, and emits the character as it then
    /// stands: a test decides the outcome instead of waiting for it.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "AurousEmulatorSynthesis", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Character))]
    public sealed class CompleteAurousEmulatorSynthesisCommand : CharacterTargetCmdlet
    {
        [Parameter]
        public SwitchParameter Failed { get; set; }

        /// <summary>The failed character's error_message; only with -Failed.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ErrorMessage { get; set; }

        [Parameter]
        [ValidateNotNull]
        public AurousEmulator? Emulator { get; set; }

        private EmulatorTarget? _target;

        protected override void Begin()
        {
            if (ErrorMessage != null && !Failed)
            {
                var refused = new AurousValidationException("-ErrorMessage is the message of a failed synthesis: add -Failed.", AurousErrors.InvalidConfiguration, nameof(ErrorMessage));
                ThrowTerminatingError(AurousErrorRecords.From(refused, ErrorMessage));
            }

            try
            {
                _target = EmulatorTarget.Resolve(Emulator);
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, Emulator));
            }
        }

        protected override void ProcessRecord()
        {
            string outcome = Failed ? "Finish the synthesis now as failed" : "Finish the synthesis now: reviewing";
            foreach (CharacterTarget character in Targets)
            {
                if (ShouldProcess(character.Description, outcome)
                    && TryRunLocal(ct => _target!.Control.FinishSynthesisAsync(character.Id, Failed, ErrorMessage, ct), character.ErrorTarget, out Character finished))
                {
                    WriteCharacter(finished);
                }
            }
        }
    }
}
