using System.Diagnostics;

namespace Aurous.Emulator.Tests;

/// <summary>
/// A process a test starts: the emulator the way a user starts it (the built assembly under dotnet, or the
/// installed tool), or a dotnet command. Disposing kills it with its children, so a failed assertion never leaves
/// an emulator listening.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private ChildProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>The assembly this test project built, under dotnet: what dotnet run --project src/Aurous.Emulator runs.</summary>
    public static ChildProcess StartBuilt(params string[] args) => Start("dotnet", [typeof(EmulatorServer).Assembly.Location, .. args]);

    public static ChildProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(info)!);
    }

    /// <summary>Reads the emulator's start-up lines up to "Press Ctrl+C" and returns the printed URL and all of them.</summary>
    public async Task<(Uri Url, string Output)> ReadBannerAsync()
    {
        var lines = new List<string>();
        string? line;
        while ((line = await Process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20))) is not null && !line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
        {
            lines.Add(line);
        }

        var output = string.Join("\n", lines);
        if (lines.Count == 0 || !lines[0].Contains("http://", StringComparison.Ordinal))
        {
            // Only now: reading stderr to its end waits for the process to exit.
            Assert.Fail($"No URL in the emulator's banner: {output}\n{await Process.StandardError.ReadToEndAsync()}");
        }

        return (new Uri(lines[0][lines[0].IndexOf("http://", StringComparison.Ordinal)..].Trim()), output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}
