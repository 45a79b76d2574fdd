using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Renames a character and changes its attributes. -Attributes replaces the whole attribute object, as the
    /// API does; the per-field parameters change only those fields (read the current attributes, send the merge).
    /// </summary>
    /// <remarks>
    /// Piped characters bind by their Id property rather than through an -InputObject set: that keeps two parameter
    /// sets instead of four, so -Name combines with either style without the engine finding the sets ambiguous.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "AurousCharacter", DefaultParameterSetName = Replace, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Character))]
    public sealed class SetAurousCharacterCommand : AurousCmdlet
    {
        private const string Replace = "Attributes";
        private const string Merge = "Fields";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        [Parameter]
        [ValidateLength(1, 80)]
        public string? Name { get; set; }

        /// <summary>The complete new attribute object; fields left out are cleared.</summary>
        [Parameter(ParameterSetName = Replace)]
        [CharacterAttributesTransformation]
        public CharacterAttributes? Attributes { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? Gender { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateRange(0, 200)]
        public int? Age { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? Ethnicity { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? HairColor { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? HairStyle { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? EyeColor { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? BodyType { get; set; }

        [Parameter(ParameterSetName = Merge)]
        [ValidateNotNullOrEmpty]
        public string? AdditionalDetails { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (Name == null && Attributes == null && ParameterSetName == Replace)
            {
                var nothing = new AurousValidationException("Nothing to change: pass -Name, -Attributes or a per-field parameter such as -HairColor.", AurousErrors.EmptyUpdate, null);
                ThrowTerminatingError(AurousErrorRecords.From(nothing, null));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (string id in Id)
            {
                if (!ShouldProcess(AurousOperations.Target(id, null), WhatIfText()))
                {
                    continue;
                }

                bool updated = ParameterSetName == Merge
                    ? TryRun((client, ct) => MergeAsync(client, id, ct), id, out Character character)
                    : TryRun((client, ct) => client.UpdateCharacterAsync(id, new CharacterUpdate { Name = Name, Attributes = Attributes }, ct), id, out character);
                if (updated && PassThru)
                {
                    WriteCharacter(character);
                }
            }
        }

        private string WhatIfText() => ParameterSetName == Merge
            ? AurousOperations.UpdateFields(Name, Changes())
            : AurousOperations.Update(new CharacterUpdate { Name = Name, Attributes = Attributes });

        private CharacterAttributes Changes() => new CharacterAttributes
        {
            Gender = Gender,
            Age = Age,
            Ethnicity = Ethnicity,
            HairColor = HairColor,
            HairStyle = HairStyle,
            EyeColor = EyeColor,
            BodyType = BodyType,
            AdditionalDetails = AdditionalDetails,
        };

        private async Task<Character> MergeAsync(AurousClient client, string id, CancellationToken ct)
        {
            CharacterAttributes changes = Changes();
            Character current = await client.GetCharacterAsync(id, ct).ConfigureAwait(false);
            CharacterAttributes merged = (current.Attributes ?? new CharacterAttributes()).MergeWith(changes);
            return await client.UpdateCharacterAsync(id, new CharacterUpdate { Name = Name, Attributes = merged }, ct).ConfigureAwait(false);
        }
    }
}
