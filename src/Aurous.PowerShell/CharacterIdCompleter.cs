using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Completes -Id (and Get-AurousCharacter's -Name) from the characters this session has seen, newest first, then
    /// the team's characters as listed (briefly cached). An id completes from the start of the id or of the name, so
    /// "Aur" offers Aurora's id; each entry shows the name beside the id.
    /// </summary>
    internal sealed class CharacterIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            bool names = string.Equals(parameterName, "Name", StringComparison.OrdinalIgnoreCase);
            var offered = new HashSet<string>(names ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var results = new List<CompletionResult>();
            foreach (IEnumerable<KeyValuePair<string, string>> source in new[] { RecentCharacterIds.All(), CharacterListCache.Get() })
            {
                foreach (KeyValuePair<string, string> entry in source)
                {
                    string id = entry.Key;
                    string name = entry.Value;
                    bool byId = !names && id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
                    bool byName = name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
                    if ((byId || byName) && (!names || name.Length > 0) && offered.Add(names ? name : id))
                    {
                        string label = name.Length == 0 ? id : $"{id} ({name})";
                        results.Add(names
                            ? new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, label)
                            : new CompletionResult(id, label, CompletionResultType.ParameterValue, label));
                    }
                }
            }

            return results;
        }

        // Ids are letters, digits, '_', '-' and '.', safe bare; a name may hold spaces or quotes.
        private static string Quote(string name)
        {
            foreach (char c in name)
            {
                if (!char.IsLetterOrDigit(c) && c != '_' && c != '-')
                {
                    return "'" + name.Replace("'", "''") + "'";
                }
            }

            return name;
        }
    }
}
