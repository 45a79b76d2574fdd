using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Aurous.Client;

/// <summary>
/// Where the emulator is and how it is run: the <c>aurous-emulator</c> .NET tool from PATH or the .NET global tools
/// folder, or a file given: that executable, or Aurous.Emulator.dll run by <c>dotnet</c>.
/// </summary>
public sealed class AurousEmulatorTool
{
    public const string CommandName = "aurous-emulator";
    public const string PackageId = "Aurous.Emulator";

    private AurousEmulatorTool(string fileName, string? assembly)
    {
        FileName = fileName;
        Assembly = assembly;
    }

    /// <summary>The program started: the tool, or dotnet for a dll.</summary>
    public string FileName { get; }

    /// <summary>The dll dotnet runs; null for the tool itself.</summary>
    public string? Assembly { get; }

    /// <summary>The version of the emulator this module goes with (its package and the module share one version).</summary>
    public static string Version => typeof(AurousEmulatorTool).Assembly.GetName().Version!.ToString(3);

    /// <summary>The lines that install the tool, as the missing-tool error and about_Aurous print them.</summary>
    public static string InstallLines =>
        "Install it with the .NET 10 SDK (or later), from the folder holding its package (a build of the repository writes it to out/), or from nuget.org once it is published there:" + Environment.NewLine +
        $"    dotnet tool install --global {PackageId} --add-source <folder with {PackageId}.{Version}.nupkg> --version {Version}" + Environment.NewLine +
        $"    dotnet tool install --global {PackageId} --version {Version}";

    /// <summary>Finds the emulator: <paramref name="path"/> when given (a full path), else the tool on PATH, else in the .NET tools folder.</summary>
    /// <exception cref="AurousConfigurationException">EmulatorNotInstalled, with the lines that install it.</exception>
    public static AurousEmulatorTool Locate(string? path)
    {
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw NotInstalled($"There is no file at {AurousMessages.Quote(path)}: -Path takes the {CommandName} executable or Aurous.Emulator.dll.");
            }

            return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new AurousEmulatorTool(FindDotnet(), path) : new AurousEmulatorTool(path, null);
        }

        var found = SearchFolders().Select(folder => Executable(folder, CommandName)).FirstOrDefault(file => file is not null);
        return found is not null
            ? new AurousEmulatorTool(found, null)
            : throw NotInstalled($"The Aurous API emulator (the .NET tool {CommandName}) is not installed: it is not on PATH nor in {ToolsFolder() ?? "the .NET tools folder"}.");
    }

    /// <summary>The command line, quoted as the process is started with it.</summary>
    public string CommandLine(IEnumerable<string> arguments) =>
        string.Join(" ", new[] { FileName }.Concat(Arguments(arguments)).Select(ProcessArguments.Quote));

    internal IEnumerable<string> Arguments(IEnumerable<string> arguments) => Assembly is null ? arguments : new[] { Assembly }.Concat(arguments);

    private static AurousConfigurationException NotInstalled(string problem) =>
        new(problem + " " + InstallLines + Environment.NewLine + $"Then run the command again, or pass -Path with the {CommandName} executable or Aurous.Emulator.dll.", AurousErrors.EmulatorNotInstalled);

    private static IEnumerable<string> SearchFolders()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return folder.Trim('"');
        }

        if (ToolsFolder() is { } tools)
        {
            yield return tools;
        }
    }

    /// <summary>Where <c>dotnet tool install --global</c> puts tools: ~/.dotnet/tools, under DOTNET_CLI_HOME when that is set.</summary>
    private static string? ToolsFolder()
    {
        var home = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".dotnet", "tools");
    }

    private static string FindDotnet()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") };
        candidates.AddRange(SearchFolders().Select(folder => Executable(folder, "dotnet")));
        foreach (var root in new[] { Environment.GetEnvironmentVariable("DOTNET_ROOT"), Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet") })
        {
            candidates.Add(string.IsNullOrEmpty(root) ? null : Executable(root!, "dotnet"));
        }

        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw NotInstalled("Aurous.Emulator.dll is run by dotnet, and there is no dotnet on PATH, in DOTNET_ROOT or in ~/.dotnet.");
    }

    private static string? Executable(string folder, string name)
    {
        try
        {
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            var file = Path.Combine(folder, windows ? name + ".exe" : name);
            return File.Exists(file) ? file : null;
        }
        catch (ArgumentException)
        {
            // A PATH entry with characters no path may hold is not a folder to look in.
            return null;
        }
    }
}
