using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Aurous.Client.Tests;

/// <summary>
/// Microsoft's Garnet, a Redis-protocol server, from the garnet-server .NET tool the repository pins
/// (.config/dotnet-tools.json, installed by dotnet tool restore): on a free loopback port, in memory, with Lua, until
/// disposed. It can be killed and started again on the same port, as a store that goes down and comes back. The
/// benchmarks use it too (linked).
/// </summary>
public sealed class TestGarnet : IAsyncDisposable
{
    private Process? _process;

    private TestGarnet(int port, string? password)
    {
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>The StackExchange.Redis configuration a client uses.</summary>
    public string Configuration => $"127.0.0.1:{Port}" + (Password is null ? "" : $",password={Password}");

    /// <summary>Null when the server can be started; otherwise why not, and how to get it.</summary>
    public static string? Missing { get; } = FindServer(out _);

    public static async Task<TestGarnet> StartAsync(string? password = null)
    {
        var garnet = new TestGarnet(FreePort(), password);
        await garnet.StartAgainAsync();
        return garnet;
    }

    /// <summary>Starts the server on its port, empty: after <see cref="Kill"/>, a store that came back.</summary>
    public async Task StartAgainAsync()
    {
        if (FindServer(out var server) is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(server!);

        // In memory only and small: no checkpoints or append-only file unless asked, 64 MB of log, quiet.
        // Lua scripts run as transactions, which is what Redis always does with them.
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--lua", "--lua-transaction-mode", "-m", "64m", "-p", "1m", "-s", "32m", "-i", "1m", "--logger-level", "Error" })
        {
            info.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            info.ArgumentList.Add("--auth");
            info.ArgumentList.Add("Password");
            info.ArgumentList.Add("--password");
            info.ArgumentList.Add(Password);
        }

        // The tool may target an older .NET than the one installed.
        info.Environment["DOTNET_ROLL_FORWARD"] = "Major";
        _process = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        _process.BeginErrorReadLine();
        var ready = new TaskCompletionSource();
        _process.OutputDataReceived += (_, e) =>
        {
            output.Enqueue(e.Data ?? "");
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        _process.BeginOutputReadLine();
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2))) != ready.Task)
        {
            var said = exited.IsCompleted ? $"exited with code {_process.ExitCode}" : "is not ready after two minutes";
            Kill();
            throw new InvalidOperationException($"Garnet on port {Port} {said}: {string.Join(" | ", output.Where(l => l.Length > 0).TakeLast(10))}");
        }
    }

    /// <summary>The store goes down, as a crash would take it.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the server: a store that stops answering without closing its connections.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", new[] { "-" + signal, _process!.Id.ToString() })!;
        kill.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindServer(out string? path)
    {
        path = null;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, ".config", "dotnet-tools.json")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            return "Garnet is not pinned: no .config/dotnet-tools.json above the test assembly.";
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, ".config", "dotnet-tools.json")));
        if (!manifest.RootElement.GetProperty("tools").TryGetProperty("garnet-server", out var tool))
        {
            return "Garnet is not pinned in .config/dotnet-tools.json.";
        }

        var version = tool.GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = new DirectoryInfo(Path.Combine(packages, "garnet-server", version, "tools"));
        path = tools.Exists
            ? tools.EnumerateFiles("GarnetServer.dll", SearchOption.AllDirectories).OrderByDescending(f => f.FullName, StringComparer.Ordinal).FirstOrDefault()?.FullName
            : null;
        return path is null ? $"Garnet (the garnet-server tool {version}) is not installed: run 'dotnet tool restore' in {root.FullName}." : null;
    }
}
