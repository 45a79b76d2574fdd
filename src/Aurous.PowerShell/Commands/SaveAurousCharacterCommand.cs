using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Publishes reviewing characters (reviewing -> ready). Free; saving a ready character is a no-op.</summary>
    [Cmdlet(VerbsData.Save, "AurousCharacter", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Character))]
    public sealed class SaveAurousCharacterCommand : CharacterTargetCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (CharacterTarget target in Targets)
            {
                if (ShouldProcess(target.Description, AurousOperations.Save())
                    && TryRun((client, ct) => client.SaveCharacterAsync(target.Id, ct), target.ErrorTarget, out Character saved)
                    && PassThru)
                {
                    WriteCharacter(saved);
                }
            }
        }
    }
}
