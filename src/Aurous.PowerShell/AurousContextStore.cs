using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The context Connect-Aurous set, one per runspace, so two runspaces in one process (ForEach-Object -Parallel,
    /// a hosting application) never see each other's key. A weak table lets a closed runspace's context go with it.
    /// </summary>
    internal static class AurousContextStore
    {
        private static readonly ConditionalWeakTable<Runspace, AurousContext> Contexts = new ConditionalWeakTable<Runspace, AurousContext>();
        private static readonly object Gate = new object();

        /// <summary>The session context if there is one, else one built from the environment, else null.</summary>
        public static AurousContext? Resolve() => GetSession() ?? AurousContext.FromEnvironment();

        public static AurousContext? GetSession()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace != null && Contexts.TryGetValue(runspace, out AurousContext? context) ? context : null;
        }

        public static void SetSession(AurousContext context)
        {
            lock (Gate)
            {
                Contexts.Remove(Runspace.DefaultRunspace);
                Contexts.Add(Runspace.DefaultRunspace, context);
            }
        }

        /// <summary>Returns whether there was a session context to clear.</summary>
        public static bool ClearSession()
        {
            lock (Gate)
            {
                return Contexts.Remove(Runspace.DefaultRunspace);
            }
        }
    }
}
