using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Aurous.Emulator;

/// <summary>
/// --parent-pid: the emulator ends when the process that started it ends, so a PowerShell session that exits (or is
/// killed) takes its emulators with it on every platform, without relying on job objects or process groups.
/// </summary>
internal static class ParentProcess
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The running process with that id, or null when there is none.</summary>
    public static Process? Find(int processId)
    {
        try
        {
            var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Leaves the terminal's session on Unix, so Ctrl+C pressed in the parent's console (meant for the parent's command)
    /// does not stop the emulator too: its parent decides when it ends. Windows gives a child started without a
    /// window no console to receive Ctrl+C from.
    /// </summary>
    public static void DetachFromConsole()
    {
        if (!OperatingSystem.IsWindows())
        {
            // Fails only for a process group leader, which a child started by its parent is not; it then keeps the session.
            _ = setsid();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setsid();

    /// <summary>Returns once <paramref name="parent"/> has exited; polling, because it is not our child to wait on.</summary>
    public static async Task WaitForExitAsync(Process parent, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            if (HasExited(parent))
            {
                return;
            }
        }
    }

    private static bool HasExited(Process parent)
    {
        try
        {
            parent.Refresh();
            return parent.HasExited || IsZombie(parent.Id);
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>
    /// On Linux a process that has ended but that its own parent has not yet reaped still answers as running; its
    /// state in /proc says Z (zombie) or X (dead). Elsewhere there is nothing to read and the answer is no.
    /// </summary>
    private static bool IsZombie(int processId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // "pid (command) S ...": the command may hold spaces and parentheses, the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
            return !state.IsEmpty && state[0] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
