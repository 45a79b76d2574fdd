using System.Management.Automation;
using System.Reflection;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Makes -Debug on a compiled cmdlet mean what PowerShell 7 documents: debug lines are written, and nothing
    /// else changes. No prompt, so a -NonInteractive job that paid for a call still gets its object back.
    /// </summary>
    /// <remarks>
    /// PowerShell 7 (PowerShell/PowerShell#8195) changed only the command runtime's DebugPreference to Continue under
    /// -Debug. Its VerbosePreference and WarningPreference still answer Inquire under -Debug (unless -Verbose or
    /// -WarningAction is given, or the host has no UI), and its ConfirmPreference still answers Low, so the first
    /// WriteVerbose or WriteWarning after -Debug prompts "Continue with this operation?", and under -NonInteractive
    /// fails. Script functions never meet this: there -Debug only sets the $DebugPreference variable.
    /// There is no public way to tell the runtime, so this sets what -Debug means through its two internal members,
    /// DebugPreference (pinned to Continue) and the Debug flag (cleared). Where the runtime does not read -Debug as
    /// Continue (Windows PowerShell 5.1, where -Debug means Inquire by design) or lacks those members, it leaves
    /// everything as PowerShell made it.
    /// </remarks>
    internal static class DebugSwitch
    {
        private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;

        public static void WriteDebugLinesOnly(Cmdlet cmdlet)
        {
            object runtime = cmdlet.CommandRuntime;
            PropertyInfo? debug = runtime.GetType().GetProperty("Debug", Internal);
            PropertyInfo? preference = runtime.GetType().GetProperty("DebugPreference", Internal);
            if (debug == null || preference == null
                || debug.PropertyType != typeof(bool) || preference.PropertyType != typeof(ActionPreference)
                || debug.GetValue(runtime) is not true
                || preference.GetValue(runtime) is not ActionPreference.Continue)
            {
                return;
            }

            preference.SetValue(runtime, ActionPreference.Continue);
            debug.SetValue(runtime, false);
        }
    }
}
