using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>Creates a character and starts its synthesis (4 generations); emits it, synthesizing, for Wait-AurousCharacter.</summary>
    /// <remarks>
    /// Every parameter binds by property name, so Import-Csv rows (Name, HairColor or hair_color, Age, ...)
    /// and piped characters (Name, Attributes: a copy) create characters. The per-field parameters are merged into
    /// -Attributes and win for the fields they set, so -Attributes can be a template the rows complete.
    /// -SkipExisting lists the team once, on the first row that needs it, and passes on the character a row names
    /// instead of creating another: an idempotency key replays for 24 hours only, a name is there for as long as the
    /// character is.
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

        /// <summary>
        /// Pass on the team's character of the same name, when there is one, instead of creating (and paying for)
        /// another, so a whole import can be run again at any time.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipExisting { get; set; }

        private readonly IdempotencyKeyInput<CharacterCreate> _keyed = new IdempotencyKeyInput<CharacterCreate>(r => $"'{r.Name}'");
        private int _position;

        // The team's characters by exact name, newest first; read once, on the first row -SkipExisting asks about, and
        // kept up to date with the characters this command creates.
        private Dictionary<string, List<Character>>? _byName;

        protected override void Begin()
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
            if (SkipExisting && !ShouldCreate(request.Name, row))
            {
                return;
            }

            foreach (CharacterCreate admitted in _keyed.Admit(this, IdempotencyKey, new[] { request }, _ => row))
            {
                Create(admitted, row);
            }
        }

        protected override void EndProcessing()
        {
            foreach (CharacterCreate request in _keyed.Release(this))
            {
                Create(request, request.Name);
            }
        }

        /// <param name="request">the create.</param>
        /// <param name="errorTarget">the input row it came from, for an error's TargetObject; the name once the rows are gone.</param>
        private void Create(CharacterCreate request, object errorTarget)
        {
            if (ShouldProcess(request.Name, AurousOperations.Create(request.Name, request.Attributes))
                && TryRun((client, ct) => client.CreateCharacterAsync(request, ct), errorTarget, out Character created))
            {
                if (_byName != null)
                {
                    Remember(_byName, created, newest: true);
                }

                WriteCharacter(created);
            }
        }

        /// <summary>
        /// -SkipExisting: whether the row still needs a character. One the team has is passed on instead, the newest
        /// when several share the name (with a warning). A team that cannot be listed creates nothing for the row: the
        /// point of the switch is not to pay twice, so the row fails with the listing's error, naming it.
        /// </summary>
        private bool ShouldCreate(string name, object row)
        {
            if (_byName == null && !TryRun(ListTeamAsync(name), row, out _byName))
            {
                return false;
            }

            if (!_byName!.TryGetValue(name, out List<Character>? same))
            {
                return true;
            }

            Character existing = same[0];
            string described = $"{existing.Id} ({existing.Name}, {existing.Status}, created {existing.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)";
            if (same.Count > 1)
            {
                WriteWarning($"The team has {same.Count} characters named {AurousMessages.Quote(name)} ({string.Join(", ", same.Select(c => c.Id))}); -SkipExisting passes on the newest, {existing.Id}. Remove the others if they are duplicates.");
            }

            // Through ShouldProcess so -WhatIf says what the row would do, and passes nothing on into a pipeline that may change things.
            if (ShouldProcess(name, $"Pass on the team's existing {described} instead of creating another (-SkipExisting; no credits)"))
            {
                WriteVerbose($"New character {AurousMessages.Quote(name)}: the team already has {described}; passing it on instead of creating another (-SkipExisting).");
                WriteCharacter(existing);
            }

            return false;
        }

        private static void Remember(Dictionary<string, List<Character>> byName, Character character, bool newest)
        {
            if (!byName.TryGetValue(character.Name, out List<Character>? same))
            {
                byName[character.Name] = same = new List<Character>();
            }

            same.Insert(newest ? 0 : same.Count, character);
        }

        private static Func<AurousClient, CancellationToken, Task<Dictionary<string, List<Character>>>> ListTeamAsync(string name) =>
            async (client, ct) =>
            {
                var byName = new Dictionary<string, List<Character>>(StringComparer.Ordinal);
                try
                {
                    // Newest first, as the API lists them, so each name's first entry is its newest character.
                    await foreach (Character character in client.ListCharactersAsync(null, ct).ConfigureAwait(false))
                    {
                        Remember(byName, character, newest: false);
                    }
                }
                catch (AurousException e) when (e.CharacterId == null && e.CharacterName == null)
                {
                    e.CharacterName = name;
                    throw;
                }

                return byName;
            };

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
