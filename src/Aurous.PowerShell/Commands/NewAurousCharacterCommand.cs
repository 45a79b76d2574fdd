using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Creates a character and starts its synthesis (4 generations); emits it, synthesizing, for Wait-AurousCharacter.</summary>
    /// <remarks>
    /// Every parameter binds by property name, so Import-Csv rows (Name, HairColor or hair_color, Age, ...)
    /// and piped characters (Name, Attributes: a copy) create characters. The per-field parameters are merged into
    /// -Attributes and win for the fields they set, so -Attributes can be a template the rows complete.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "AurousCharacter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Character))]
    public sealed class NewAurousCharacterCommand : CharacterFieldsCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateAurous(AurousRule.CharacterName)]
        public string Name { get; set; } = null!;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [CharacterAttributesTransformation]
        public CharacterAttributes? Attributes { get; set; }

        /// <summary>Makes a retried call replay instead of creating (and paying for) a second character.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateAurous(AurousRule.IdempotencyKey)]
        public string? IdempotencyKey { get; set; }

        private readonly IdempotencyKeyInput<CharacterCreate> _keyed = new IdempotencyKeyInput<CharacterCreate>(r => $"'{r.Name}'");

        protected override void Begin() => _keyed.Begin(this);

        protected override void ProcessRecord()
        {
            var request = new CharacterCreate { Name = Name, Attributes = MergedAttributes(), IdempotencyKey = IdempotencyKey };
            foreach (CharacterCreate admitted in _keyed.Admit(this, IdempotencyKey, new[] { request }))
            {
                Create(admitted);
            }
        }

        protected override void EndProcessing()
        {
            foreach (CharacterCreate request in _keyed.Release(this))
            {
                Create(request);
            }
        }

        private void Create(CharacterCreate request)
        {
            if (ShouldProcess(request.Name, AurousOperations.Create(request.Name, request.Attributes))
                && TryRun((client, ct) => client.CreateCharacterAsync(request, ct), request.Name, out Character created))
            {
                WriteCharacter(created);
            }
        }

        /// <summary>-Attributes with the per-field parameters on top; null when neither gives anything.</summary>
        private CharacterAttributes? MergedAttributes()
        {
            CharacterAttributes fields = FieldChanges();
            return fields.SetFields().Count == 0 ? Attributes : (Attributes ?? new CharacterAttributes()).MergeWith(fields);
        }
    }
}
