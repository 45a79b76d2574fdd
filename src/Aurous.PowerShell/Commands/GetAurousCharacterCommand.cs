using System;
using System.Linq;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Reads characters by id (arguments, strings on the pipeline, or any object's Id/CharacterId), or, without -Id,
    /// lists the team's characters newest first, paging through the API as the pipeline reads them.
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

        /// <summary>Only characters in these states; deleted characters are never listed.</summary>
        [Parameter(ParameterSetName = List)]
        [ValidateSet("Synthesizing", "Reviewing", "Ready", "Failed", IgnoreCase = true)]
        public string[]? Status { get; set; }

        /// <summary>Only characters whose name matches; wildcards allowed. The API has no name filter, so this one is applied here.</summary>
        [Parameter(ParameterSetName = List)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == List)
            {
                ListCharacters();
                return;
            }

            foreach (string id in Id)
            {
                if (TryRun((client, ct) => client.GetCharacterAsync(id, ct), id, out Character character))
                {
                    WriteCharacter(character);
                }
            }
        }

        private void ListCharacters()
        {
            var name = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var options = new CharacterListOptions
            {
                Statuses = Status?.Select(s => (CharacterStatus)Enum.Parse(typeof(CharacterStatus), s, ignoreCase: true)).ToList(),
                Where = name == null ? null : (Func<Character, bool>)(c => name.IsMatch(c.Name ?? string.Empty)),
            };
            ulong skip = PagingParameters.Skip;
            ulong first = PagingParameters.First;
            TryRun(async (client, ct) =>
            {
                ulong seen = 0;
                ulong written = 0;
                var characters = client.ListCharactersAsync(options, ct).GetAsyncEnumerator(ct);
                try
                {
                    // Stops asking for pages as soon as -First is met.
                    while (written < first && await characters.MoveNextAsync().ConfigureAwait(false))
                    {
                        if (seen++ < skip)
                        {
                            continue;
                        }

                        Character character = characters.Current;
                        written++;
                        Post(() => WriteCharacter(character));
                    }
                }
                finally
                {
                    await characters.DisposeAsync().ConfigureAwait(false);
                }
            }, "the character list");

            if (PagingParameters.IncludeTotalCount)
            {
                // Counting would mean reading every page; the API gives no total.
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }
        }
    }
}
