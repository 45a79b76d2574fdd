using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Publishes reviewing characters (reviewing -> ready). Free; saving a ready character is a no-op.</summary>
    [Cmdlet(VerbsData.Save, "AurousCharacter", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Character))]
    public sealed class SaveAurousCharacterCommand : AurousCmdlet
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

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (CharacterTarget target in CharacterTarget.From(Id, InputObject))
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
