using System.Threading;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The context Connect-Aurous set, one per process, as Az and Microsoft.Graph keep theirs: ForEach-Object -Parallel,
    /// Start-ThreadJob and every other runspace of the process use it without connecting again, and Disconnect-Aurous
    /// clears it for all of them. A context never changes once made, so readers on any thread need no lock.
    /// </summary>
    internal static class AurousContextStore
    {
        private static AurousContext? s_session;

        /// <summary>The session context if there is one, else one built from the environment, else null.</summary>
        public static AurousContext? Resolve() => GetSession() ?? AurousContext.FromEnvironment();

        public static AurousContext? GetSession() => Volatile.Read(ref s_session);

        public static void SetSession(AurousContext context) => Volatile.Write(ref s_session, context);

        /// <summary>Returns whether there was a session context to clear.</summary>
        public static bool ClearSession() => Interlocked.Exchange(ref s_session, null) != null;
    }
}
