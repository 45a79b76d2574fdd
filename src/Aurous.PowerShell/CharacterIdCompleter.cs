using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Aurous.PowerShell
{
    /// <summary>Completes -Id from the characters seen in this session, showing each one's name as the tooltip.</summary>
    internal sealed class CharacterIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (KeyValuePair<string, string> entry in RecentCharacterIds.Matching(prefix))
            {
                string tooltip = entry.Value.Length == 0 ? entry.Key : $"{entry.Key} ({entry.Value})";
                yield return new CompletionResult(entry.Key, entry.Key, CompletionResultType.ParameterValue, tooltip);
            }
        }
    }
}
