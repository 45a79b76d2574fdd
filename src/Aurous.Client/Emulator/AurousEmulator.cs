using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client;

/// <summary>
/// An emulator this process started (Start-AurousEmulator): where it listens, the team key to use it with, and its
/// process. Every one still running is stopped when this process exits; the emulator also ends itself when its
/// parent process does (--parent-pid), which covers a process that is killed.
/// </summary>
public sealed class AurousEmulator
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);
    private static readonly Regex Banner = new(@"listening on (http://\S+)", RegexOptions.CultureInvariant);
    private static readonly ConcurrentDictionary<int, AurousEmulator> Running = new();
    private static int s_exitHooked;

    private AurousEmulator(Process process, Uri baseUri, AurousEmulatorStartInfo info)
    {
        Process = process;
        ProcessId = process.Id;
        BaseUri = baseUri;
        Team = info.Team;
        RateLimitMultiplier = info.RateLimitMultiplier ?? 1;
        DataPath = info.DataPath;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/, the port picked free when it started.</summary>
    public Uri BaseUri { get; }

    /// <summary>The team of <see cref="ApiKey"/>.</summary>
    public string Team { get; }

    /// <summary>The team's key, al_live_emulator_&lt;team&gt;: it opens nothing but this emulator, so it is no secret.</summary>
    public string ApiKey => AurousEmulatorTeams.KeyFor(Team);

    /// <summary>The multiplier of the emulator's buckets, for a Connect-Aurous -RateLimitMultiplier that matches them.</summary>
    public double RateLimitMultiplier { get; }

    /// <summary>The folder its state is kept in across restarts; null when it is kept in memory.</summary>
    public string? DataPath { get; }

    public Process Process { get; }

    public int ProcessId { get; }

    public bool HasExited
    {
        get
        {
            try
            {
                return Process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Starts the emulator on a free loopback port, reads the port from its first line, and returns once it answers.
    /// Cancelling, or any failure, stops the process again.
    /// </summary>
    /// <param name="info">the emulator's options.</param>
    /// <param name="log">told the command line and the address, for -Verbose.</param>
    /// <param name="cancellationToken">stops waiting, and the process.</param>
    /// <exception cref="AurousConfigurationException">EmulatorNotInstalled.</exception>
    /// <exception cref="AurousConfigurationException">EmulatorStartFailed, with what the emulator said.</exception>
    public static async Task<AurousEmulator> StartAsync(AurousEmulatorStartInfo info, Action<string>? log, CancellationToken cancellationToken)
    {
        var tool = AurousEmulatorTool.Locate(info.Path);
        var arguments = tool.Arguments(info.Arguments()).ToList();
        log?.Invoke($"Starting the emulator: {tool.CommandLine(info.Arguments())}");

        var process = new Process
        {
            StartInfo = new ProcessStartInfo(tool.FileName, ProcessArguments.Join(arguments))
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
            EnableRaisingEvents = true,
        };

        var listening = new TaskCompletionSource<Uri?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();

        // Both streams are read for the whole life of the process: a full pipe would block the emulator's writes.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Banner.Match(line) is { Success: true } match && Uri.TryCreate(match.Groups[1].Value, UriKind.Absolute, out var uri))
            {
                listening.TrySetResult(uri);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data) && errors.Count < 40)
            {
                errors.Enqueue(e.Data!);
            }
        };
        process.Exited += (_, _) => listening.TrySetResult(null);

        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw StartFailed($"{tool.FileName} could not be run ({e.Message})", tool, info);
        }

        try
        {
            // The emulator reads no input: its stdin is closed, so it never shares the console's.
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var baseUri = await BannerAsync(process, listening.Task, errors, tool, info, cancellationToken).ConfigureAwait(false);
            await AurousEmulatorControl.WaitUntilAnsweringAsync(baseUri, cancellationToken).ConfigureAwait(false);
            var emulator = new AurousEmulator(process, baseUri, info);
            Track(emulator);
            log?.Invoke($"The emulator (process {emulator.ProcessId}) listens on {baseUri}.");
            return emulator;
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>Ends the process, and only it. Returns false when it had already ended.</summary>
    public bool Stop()
    {
        Running.TryRemove(ProcessId, out _);
        return Kill(Process);
    }

    /// <summary>Every emulator this process started and has not stopped.</summary>
    public static IReadOnlyList<AurousEmulator> Started => Running.Values.ToList();

    /// <summary>Stops every emulator this process started: at exit, and when the module is removed.</summary>
    public static void StopAll()
    {
        foreach (var emulator in Running.Values)
        {
            emulator.Stop();
        }
    }

    public override string ToString() => $"{BaseUri} ({Team}, process {ProcessId})";

    private static async Task<Uri> BannerAsync(Process process, Task<Uri?> listening, ConcurrentQueue<string> errors, AurousEmulatorTool tool, AurousEmulatorStartInfo info, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var cancelled = new TaskCompletionSource<bool>();
        using (timeout.Token.Register(() => cancelled.TrySetResult(true)))
        {
            await Task.WhenAny(listening, cancelled.Task).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (listening.IsCompleted && listening.Result is { } uri)
        {
            return uri;
        }

        if (!listening.IsCompleted)
        {
            throw StartFailed($"It did not say where it listens within {StartTimeout.TotalSeconds:0} s{Said(errors)}", tool, info);
        }

        // Exited: let the last lines of its error output arrive before quoting them.
        process.WaitForExit();
        var said = Said(errors);
        var outdated = said.IndexOf("Unknown option", StringComparison.Ordinal) >= 0
            ? $". An emulator older than this module does not know every option it passes: update it with 'dotnet tool update --global {AurousEmulatorTool.PackageId}' (version {AurousEmulatorTool.Version})"
            : "";
        throw StartFailed($"It exited with code {process.ExitCode}{said}{outdated}", tool, info);
    }

    private static string Said(ConcurrentQueue<string> errors) =>
        errors.IsEmpty ? "" : ", saying: " + AurousMessages.Clause(string.Join(" ", errors.Select(l => l.Trim())));

    // A configuration error, so the command stops: nothing after a failed start could work.
    private static AurousConfigurationException StartFailed(string problem, AurousEmulatorTool tool, AurousEmulatorStartInfo info) =>
        new(AurousMessages.Sentences($"The emulator did not start ({tool.CommandLine(info.Arguments())})", problem), AurousErrors.EmulatorStartFailed);

    private static void Track(AurousEmulator emulator)
    {
        Running[emulator.ProcessId] = emulator;
        if (Interlocked.Exchange(ref s_exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        }
    }

    private static bool Kill(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return false;
            }

            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill, or was never started.
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Windows refuses to kill a process that is already exiting.
        }

        process.WaitForExit((int)ExitTimeout.TotalMilliseconds);
        return true;
    }
}
