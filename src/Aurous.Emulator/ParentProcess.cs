using System.Diagnostics;

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
            return parent.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
