using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Renames a character and changes its attributes. -Attributes replaces the whole attribute object, as the
    /// API does; the per-field parameters change only those fields (the client reads the current attributes and sends
    /// the merge, one change per character at a time in this process, so parallel per-field calls lose nothing).
    /// </summary>
    /// <remarks>
    /// Piped characters bind by their Id property rather than through an -InputObject set: that keeps two parameter
    /// sets instead of four, so -Name combines with either style without the engine finding the sets ambiguous.
    /// The per-field parameters also bind by property name (PascalCase or snake_case), so Import-Csv rows with an Id
    /// column and field columns change those fields; Fields is the default set because the engine binds pipeline
    /// input to the default set's parameters first.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "AurousCharacter", DefaultParameterSetName = Merge, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Character))]
    public sealed class SetAurousCharacterCommand : CharacterFieldsCmdlet
    {
        private const string Replace = "Attributes";
        private const string Merge = FieldsSet;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        [Parameter]
        public string? Name { get; set; }

        /// <summary>The complete new attribute object; fields left out are cleared.</summary>
        [Parameter(ParameterSetName = Replace)]
        [CharacterAttributesTransformation]
        public CharacterAttributes? Attributes { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>-Name and -Attributes come from the command line only: a bad one is the command's one error, with its documented ErrorId.</summary>
        protected override void Begin()
        {
            try
            {
                if (Name != null)
                {
                    AurousValidation.Name(Name);
                }

                CharacterAttributesTransformationAttribute.ThrowIfRefused(Attributes);
            }
            catch (AurousValidationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, Name));
            }
        }

        protected override void ProcessRecord()
        {
            // Checked per record, not in BeginProcessing: the fields of a piped CSV row are bound only now. A row with
            // a bad value or nothing to change (all its cells blank) is one error, not the end of the import; without
            // pipeline input it is the command's error, as a bad -Name is.
            string subject = AurousMessages.Subject(string.Join(", ", Id), null);
            CharacterAttributes fields;
            try
            {
                fields = FieldChanges();
            }
            catch (AurousValidationException refusal)
            {
                RefuseInput(refusal, subject, Id.Length == 1 ? Id[0] : (object)Id);
                return;
            }

            // Fields is the default set, so that a piped CSV row can bind the per-field parameters; a rename alone in
            // that set sends only the name, without reading and rewriting the attributes.
            bool changesFields = ParameterSetName == Merge && fields.SetFields().Count > 0;
            if (Name == null && Attributes == null && !changesFields)
            {
                var nothing = new AurousValidationException("Nothing to change: pass -Name, -Attributes or a per-field parameter such as -HairColor (a blank value counts as not given).", AurousErrors.EmptyUpdate, null);
                RefuseInput(nothing, subject, Id.Length == 1 ? Id[0] : (object)Id);
                return;
            }

            string whatIf = changesFields
                ? AurousOperations.UpdateFields(Name, fields)
                : AurousOperations.Update(new CharacterUpdate { Name = Name, Attributes = Attributes });
            foreach (string id in Id)
            {
                if (!ShouldProcess(AurousOperations.Target(id, null), whatIf))
                {
                    continue;
                }

                bool updated = changesFields
                    ? TryRun((client, ct) => client.UpdateCharacterFieldsAsync(id, Name, fields, ct), id, out Character character)
                    : TryRun((client, ct) => client.UpdateCharacterAsync(id, new CharacterUpdate { Name = Name, Attributes = Attributes }, ct), id, out character);
                if (updated && PassThru)
                {
                    WriteCharacter(character);
                }
            }
        }
    }
}
