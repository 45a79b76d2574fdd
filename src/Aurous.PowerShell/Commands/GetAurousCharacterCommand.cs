using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Reads characters by id (ids as arguments, strings on the pipeline, or any object's Id/CharacterId), or, with
    /// no id, lists the team's characters newest first, paging by itself, filtered by -Status and -Name.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AurousCharacter", DefaultParameterSetName = List, SupportsPaging = true)]
    [OutputType(typeof(Character))]
    public sealed class GetAurousCharacterCommand : AurousCmdlet
    {
        private const string ById = "Id";
        private const string List = "List";

        [Parameter(ParameterSetName = ById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>Only characters in one of these states. Deleted characters are never listed.</summary>
        [Parameter(ParameterSetName = List)]
        [ValidateNotNullOrEmpty]
        [ValidateSet("Synthesizing", "Reviewing", "Ready", "Failed")]
        public string[]? Status { get; set; }

        /// <summary>Only characters whose name matches one of these wildcard patterns, case-insensitively.</summary>
        [Parameter(ParameterSetName = List)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[]? Name { get; set; }

        // -Skip, -First and -IncludeTotalCount count across every record, in both sets; a failed listing has no total.
        private ulong _matched;
        private ulong _emitted;
        private bool _counted = true;

        private bool Done => _emitted >= PagingParameters.First && !PagingParameters.IncludeTotalCount;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ById)
            {
                foreach (string id in Id)
                {
                    if (Done)
                    {
                        return;
                    }

                    if (TryRun((client, ct) => client.GetCharacterAsync(id, ct), id, out Character character))
                    {
                        Offer(character, WriteCharacter);
                    }
                }
            }
            else if (!MyInvocation.ExpectingInput)
            {
                // Downstream of a pipeline that sent nothing, listing everything would turn an empty id file into
                // "every character", which the next command might delete.
                ListCharacters();
            }
        }

        protected override void EndProcessing()
        {
            if (PagingParameters.IncludeTotalCount && _counted)
            {
                WriteObject(PagingParameters.NewTotalCount(_matched, 1.0));
            }
        }

        private void ListCharacters()
        {
            if (Done)
            {
                return;
            }

            ulong skip = PagingParameters.Skip;
            ulong first = PagingParameters.First;
            WildcardPattern[]? patterns = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
            var options = new CharacterListOptions
            {
                Statuses = Status?.Select(s => (CharacterStatus)Enum.Parse(typeof(CharacterStatus), s, ignoreCase: true)).ToArray(),
                Where = patterns == null ? null : c => patterns.Any(p => p.IsMatch(c.Name)),
            };
            if (Status == null && patterns == null && !PagingParameters.IncludeTotalCount && first <= CharacterList.MaxLimit && skip <= CharacterList.MaxLimit - first)
            {
                // Every character listed is one shown, so a page of exactly that many is the only call.
                options.PageSize = (int)Math.Max(CharacterList.MinLimit, skip + first);
            }

            _counted = TryRun(async (client, ct) =>
            {
                await foreach (Character character in client.ListCharactersAsync(options, ct).ConfigureAwait(false))
                {
                    Offer(character, c => Post(() => WriteCharacter(c)));
                    if (Done)
                    {
                        break;
                    }
                }
            }, "the character list");
        }

        /// <summary>Counts a character and writes it unless -Skip passes over it or -First is already met.</summary>
        private void Offer(Character character, Action<Character> write)
        {
            _matched++;
            if (_matched > PagingParameters.Skip && _emitted < PagingParameters.First)
            {
                _emitted++;
                write(character);
            }
        }
    }
}
