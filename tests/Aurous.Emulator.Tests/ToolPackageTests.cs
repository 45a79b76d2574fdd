using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json;
using System.Xml.Linq;

namespace Aurous.Emulator.Tests;

/// <summary>
/// The emulator as a Gallery user gets it: the package the build wrote to out/, installed with dotnet tool install
/// into a private tool path, started as aurous-emulator, and serving the API.
/// </summary>
public sealed class ToolPackageTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_package_in_out_installs_as_aurous_emulator_and_serves_the_api()
    {
        var root = RepositoryRoot();
        var version = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value.Trim();
        var output = Path.Combine(root, "out");
        var package = Path.Combine(output, $"Aurous.Emulator.{version}.nupkg");
        if (!File.Exists(package))
        {
            // A skipped test proves nothing: build it the way the solution build does (the build packs it).
            await RunAsync("dotnet", ["build", Path.Combine(root, "src", "Aurous.Emulator", "Aurous.Emulator.csproj"), "-c", "Release"]);
            Assert.True(File.Exists(package), $"Building src/Aurous.Emulator did not write {package}.");
        }

        var temp = Directory.CreateTempSubdirectory("aurous-emulator-tool-");
        try
        {
            // The local folder as the only source and a private package cache: no network, and never an older
            // extraction of the same version from ~/.nuget/packages standing in for the package just built.
            var config = Path.Combine(temp.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="aurous-out" value="{SecurityElement.Escape(output)}" />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(temp.FullName, "tools");
            await RunAsync(
                "dotnet",
                ["tool", "install", "Aurous.Emulator", "--tool-path", tools, "--configfile", config, "--version", version],
                new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(temp.FullName, "packages") });

            var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "aurous-emulator.exe" : "aurous-emulator");
            // The tool's launcher finds the runtime through DOTNET_ROOT when dotnet is not installed system-wide.
            var environment = new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")) };
            Assert.Contains("aurous-emulator [options]", await RunAsync(command, ["--help"], environment));

            // With --data, so the package is known to carry SQLite's native library for this platform.
            var data = Path.Combine(temp.FullName, "data");
            await using var emulator = ChildProcess.Start(command, ["--urls", "http://127.0.0.1:0", "--synthesis-seconds", "0", "--data", data], environment);
            var (url, _) = await emulator.ReadBannerAsync();
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(20) };
            http.DefaultRequestHeaders.Add("X-Api-Key", EmulatorDefaults.TeamAKey);

            using var created = await http.PostAsync("v1/characters", new StringContent("""{"name":"From the tool"}"""));
            var createdText = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)created.StatusCode}: {createdText}");
            var id = JsonDocument.Parse(createdText).RootElement.GetProperty("id").GetString();

            using var read = await http.GetAsync($"v1/characters/{id}");
            var character = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(id, character.GetProperty("id").GetString());
            Assert.Equal("From the tool", character.GetProperty("name").GetString());
            Assert.True(File.Exists(Path.Combine(data, "aurous-emulator.db")), $"--data wrote no database in {data}.");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>The folder holding the solution, found upwards from this test's output directory.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aurous.PowerShell.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Aurous.PowerShell.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs a command to its end and returns its output; a failure or a hang fails the test with what it printed.</summary>
    private static async Task<string> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var run = ChildProcess.Start(fileName, args, environment);
        var stdout = run.Process.StandardOutput.ReadToEndAsync();
        var stderr = run.Process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await run.Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{fileName} {string.Join(" ", args)} did not finish within {CommandTimeout}.");
        }

        var output = await stdout + await stderr;
        Assert.True(run.Process.ExitCode == 0, $"{fileName} {string.Join(" ", args)} exited {run.Process.ExitCode}:\n{output}");
        return output;
    }
}
