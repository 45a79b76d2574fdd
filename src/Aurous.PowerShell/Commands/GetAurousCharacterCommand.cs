using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Reads characters by id; ids come as arguments, strings on the pipeline, or any object's Id/CharacterId.</summary>
    [Cmdlet(VerbsCommon.Get, "AurousCharacter")]
    [OutputType(typeof(Character))]
    public sealed class GetAurousCharacterCommand : AurousCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        protected override void ProcessRecord()
        {
            foreach (string id in Id)
            {
                if (TryRun((client, ct) => client.GetCharacterAsync(id, ct), id, out Character character))
                {
                    WriteCharacter(character);
                }
            }
        }
    }
}
