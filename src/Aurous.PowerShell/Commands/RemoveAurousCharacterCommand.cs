using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Deletes characters (a soft delete: they answer 404 afterwards). Prompts by default.</summary>
    [Cmdlet(VerbsCommon.Remove, "AurousCharacter", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveAurousCharacterCommand : AurousCmdlet
    {
        private const string ById = "Id";
        private const string ByInputObject = "InputObject";

        [Parameter(ParameterSetName = ById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        [Parameter(ParameterSetName = ByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Character[] InputObject { get; set; } = null!;

        protected override void ProcessRecord()
        {
            foreach (CharacterTarget target in CharacterTarget.From(Id, InputObject))
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
