using System.Collections.Generic;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// A cmdlet that acts on characters named by -Id or piped as objects (Save, Remove, Wait): the two parameter
    /// sets are declared once here so their binding is the same on every such cmdlet.
    /// </summary>
    public abstract class CharacterTargetCmdlet : AurousCmdlet
    {
        protected const string ById = "Id";
        protected const string ByInputObject = "InputObject";

        [Parameter(ParameterSetName = ById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        [Parameter(ParameterSetName = ByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Character[] InputObject { get; set; } = null!;

        /// <summary>This record's characters, whichever set bound them.</summary>
        internal IEnumerable<CharacterTarget> Targets => CharacterTarget.From(Id, InputObject);
    }
}
