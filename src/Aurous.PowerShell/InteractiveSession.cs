using System;
using System.Collections.Generic;
using System.Management.Automation.Host;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Whether someone can answer a prompt or look at a browser: not under pwsh -NonInteractive (a scheduled task, a
    /// CI job), not in a runspace without a console (the "Default Host" of [powershell]::Create()), not in a service.
    /// </summary>
    /// <remarks>
    /// PowerShell exposes -NonInteractive to no binary cmdlet (ConsoleHost keeps it internal), so the process's own
    /// command line is read the way pwsh parses it: a switch is any prefix of "-NonInteractive" down to "-noni",
    /// with -, -- or / before it, and only before -File or -Command, whose arguments belong to the script.
    /// </remarks>
    internal static class InteractiveSession
    {
        private static readonly HashSet<string> EndOfSwitches = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "f", "file", "c", "command", "ec", "e", "encodedcommand", "commandwithargs", "cwa",
        };

        public static bool IsInteractive(PSHost host) =>
            Environment.UserInteractive
            && !string.Equals(host.Name, "Default Host", StringComparison.Ordinal)
            && !HasNonInteractiveSwitch(Environment.GetCommandLineArgs());

        /// <summary>Whether a pwsh or powershell.exe command line (its first item the program) has -NonInteractive.</summary>
        public static bool HasNonInteractiveSwitch(IReadOnlyList<string> commandLine)
        {
            for (int i = 1; i < commandLine.Count; i++)
            {
                string argument = commandLine[i];
                string name = argument.StartsWith("--", StringComparison.Ordinal) ? argument.Substring(2)
                    : argument.StartsWith("-", StringComparison.Ordinal) || argument.StartsWith("/", StringComparison.Ordinal) ? argument.Substring(1)
                    : null!;
                if (name == null)
                {
                    continue;
                }

                if (EndOfSwitches.Contains(name))
                {
                    return false;
                }

                if (name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
