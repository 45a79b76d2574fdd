using System.Runtime.CompilerServices;
using System.Threading;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Stops the emulators this process started when the module is removed. Only once one was started does this touch
    /// Aurous.Client, so removing a module that never started one loads none of its libraries.
    /// </summary>
    internal static class EmulatorProcesses
    {
        private static int s_started;

        public static void MarkStarted() => Interlocked.Exchange(ref s_started, 1);

        public static void StopAll()
        {
            if (Volatile.Read(ref s_started) == 1)
            {
                StopStarted();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StopStarted() => AurousEmulator.StopAll();
    }
}
