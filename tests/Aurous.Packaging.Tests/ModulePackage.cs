using System.Collections;
using System.Management.Automation.Language;
using System.Xml.Linq;
using Aurous.PowerShell.Tests;

namespace Aurous.Packaging.Tests;

/// <summary>
/// Where the build put the module (out/Aurous/&lt;version&gt;/) and its package, and the version every part
/// must carry: Directory.Build.props' VersionPrefix, the one place it is written.
/// </summary>
internal static class ModulePackage
{
    public static string RepositoryRoot => ModuleLayout.RepositoryRoot;

    public static string Version { get; } = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    public static string LayoutDirectory => Path.Combine(RepositoryRoot, "out", "Aurous", Version);

    public static string PackagePath => Path.Combine(RepositoryRoot, "out", $"Aurous.{Version}.nupkg");

    /// <summary>The NuGet package cache, where restore put the packages the tests read directly.</summary>
    public static string NuGetPackagesDirectory { get; } =
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public static string LayoutManifestPath => Path.Combine(LayoutDirectory, "Aurous.psd1");

    public static string DependencyDirectory => Path.Combine(LayoutDirectory, "Dependencies");

    /// <summary>The layout's files as forward-slash paths relative to its root.</summary>
    public static IReadOnlyList<string> LayoutFiles() =>
        Directory.GetFiles(LayoutDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(LayoutDirectory, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>Reads a psd1 with PowerShell's own parser, as Import-Module and Publish-PSResource do.</summary>
    public static Hashtable ReadManifest(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new InvalidOperationException($"{path}: {string.Join("; ", errors.Select(e => e.Message))}");
        }

        return (Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
    }

    public static string[] Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        IEnumerable many => many.Cast<object>().Select(o => o.ToString()!).ToArray(),
        _ => new[] { value.ToString()! },
    };
}
