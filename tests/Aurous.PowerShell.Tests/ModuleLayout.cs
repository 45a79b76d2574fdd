using System.Reflection;

namespace Aurous.PowerShell.Tests;

/// <summary>Where the built module folder and the repository are, as recorded by the test project at build time.</summary>
internal static class ModuleLayout
{
    public static string ModuleDirectory { get; } = Metadata("AurousModuleDirectory");

    public static string RepositoryRoot { get; } = Metadata("AurousRepositoryRoot");

    public static string ManifestPath => Path.Combine(ModuleDirectory, "Aurous.psd1");

    public static string SourceManifestPath => Path.Combine(RepositoryRoot, "Aurous.psd1");

    public static string CmdletAssemblyPath => Path.Combine(ModuleDirectory, "Aurous.PowerShell.dll");

    private static string Metadata(string key)
    {
        string? value = typeof(ModuleLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value) || !Directory.Exists(value))
        {
            throw new InvalidOperationException($"{key} '{value}' does not exist; build src/Aurous.PowerShell first.");
        }

        return value;
    }
}
