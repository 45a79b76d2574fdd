using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Deletes characters (a soft delete: they answer 404 afterwards). Prompts by default.</summary>
    [Cmdlet(VerbsCommon.Remove, "AurousCharacter", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveAurousCharacterCommand : CharacterTargetCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (CharacterTarget target in Targets)
            {
                if (ShouldProcess(target.Description, AurousOperations.Delete())
                    && TryRun((client, ct) => client.DeleteCharacterAsync(target.Id, ct), target.ErrorTarget))
                {
                    RecentCharacterIds.Forget(target.Id);
                }
            }
        }
    }
}
