using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Completes -Pose with the five poses. A completer rather than [ValidateSet], so a pose outside them reaches the
    /// cmdlet and is refused with the documented InvalidPose instead of PowerShell's binding error.
    /// </summary>
    internal sealed class PoseCompleter : IArgumentCompleter
    {
        private static readonly string[] Poses = Enum.GetNames(typeof(CharacterPose)).Where(p => p != nameof(CharacterPose.Unknown)).ToArray();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Poses
                .Where(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p));
        }
    }
}
