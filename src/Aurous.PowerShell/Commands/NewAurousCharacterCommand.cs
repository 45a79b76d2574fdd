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
        /// <summary>Checked while the record is processed, not at binding, so a bad row gets InvalidCharacterName, naming it.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string Name { get; set; } = null!;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [CharacterAttributesTransformation]
        public CharacterAttributes? Attributes { get; set; }

        /// <summary>Makes a retried call replay instead of creating (and paying for) a second character.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? IdempotencyKey { get; set; }

        private readonly IdempotencyKeyInput<CharacterCreate> _keyed = new IdempotencyKeyInput<CharacterCreate>(r => $"'{r.Name}'");
        private int _position;

        protected override void BeginProcessing()
        {
            _keyed.Begin(this);

            // A key typed on the command line covers the whole command: a bad one is the command's one error.
            if (MyInvocation.BoundParameters.ContainsKey(nameof(IdempotencyKey)))
            {
                try
                {
                    AurousValidation.IdempotencyKey(IdempotencyKey);
                }
                catch (AurousValidationException refusal)
                {
                    ThrowTerminatingError(AurousErrorRecords.From(refusal, IdempotencyKey));
                }
            }
        }

        protected override void ProcessRecord()
        {
            _position++;
            CharacterCreate request;
            try
            {
                request = new CharacterCreate
                {
                    Name = AurousValidation.Name(Name),
                    Attributes = MergedAttributes(),
                    IdempotencyKey = IdempotencyKey == null ? null : AurousValidation.IdempotencyKey(IdempotencyKey),
                };
            }
            catch (AurousValidationException refusal)
            {
                // A row is named by its name, even one too long to send; a row without one, by its place in the input.
                string subject = string.IsNullOrWhiteSpace(Name) && MyInvocation.ExpectingInput
                    ? $"Input row {_position}"
                    : AurousMessages.Subject(null, Name);
                RefuseInput(refusal, subject, Name);
                return;
            }

            object row = PipelineInput ?? request.Name;
            foreach (CharacterCreate admitted in _keyed.Admit(this, IdempotencyKey, new[] { request }, _ => row))
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
        /// <exception cref="AurousValidationException">a value the client's rules refuse.</exception>
        private CharacterAttributes? MergedAttributes()
        {
            CharacterAttributesTransformationAttribute.ThrowIfRefused(Attributes);
            CharacterAttributes fields = FieldChanges();
            return fields.SetFields().Count == 0 ? Attributes : (Attributes ?? new CharacterAttributes()).MergeWith(fields);
        }
    }
}
