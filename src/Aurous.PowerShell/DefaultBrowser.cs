using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Aurous.PowerShell
{
    /// <summary>Opens a file in the user's default browser: the shell on Windows, open on macOS, xdg-open elsewhere.</summary>
    internal static class DefaultBrowser
    {
        /// <summary>Starts the opener and returns without waiting for it; null on success, else why it could not.</summary>
        public static string? TryOpen(string path)
        {
            ProcessStartInfo start;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                start = new ProcessStartInfo(path) { UseShellExecute = true };
            }
            else
            {
                // netstandard2.0 has no ArgumentList: one argument, quoted the way .NET splits Arguments on every platform.
                start = new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", "\"" + path.Replace("\"", "\\\"") + "\"")
                {
                    UseShellExecute = false,

                    // What the opener or the browser prints would land in the middle of the console otherwise.
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
            }

            try
            {
                Process? process = Process.Start(start);
                if (process != null && !start.UseShellExecute)
                {
                    process.OutputDataReceived += (_, _) => { };
                    process.ErrorDataReceived += (_, _) => { };
                    process.BeginOutputReadLine();
                    process.BeginErrorReadLine();
                }

                return null;
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
            {
                return $"{start.FileName}: {e.Message}";
            }
        }
    }
}
