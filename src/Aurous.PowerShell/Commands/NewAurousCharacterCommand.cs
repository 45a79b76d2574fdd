using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Creates a character and starts its synthesis (4 generations); emits it, synthesizing, for Wait-AurousCharacter.</summary>
    [Cmdlet(VerbsCommon.New, "AurousCharacter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Character))]
    public sealed class NewAurousCharacterCommand : AurousCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 80)]
        public string Name { get; set; } = null!;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [CharacterAttributesTransformation]
        public CharacterAttributes? Attributes { get; set; }

        /// <summary>Makes a retried call replay instead of creating (and paying for) a second character.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 256)]
        public string? IdempotencyKey { get; set; }

        protected override void ProcessRecord()
        {
            if (ShouldProcess(Name, AurousOperations.Create(Name))
                && TryRun((client, ct) => client.CreateCharacterAsync(new CharacterCreate { Name = Name, Attributes = Attributes, IdempotencyKey = IdempotencyKey }, ct), Name, out Character created))
            {
                WriteCharacter(created);
            }
        }
    }
}
