using System.Collections;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Aurous.PowerShell.Tests;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>out/Aurous/&lt;version&gt;/ is the module exactly as Install-Module would place it, and nothing more.</summary>
public sealed class LayoutTests
{
    private const string LoadContextAssembly = "Aurous.PowerShell.LoadContext.dll";
    private static readonly string[] HelpFiles = { "en-US/Aurous.PowerShell.dll-Help.xml", "en-US/about_Aurous.help.txt" };
    private readonly Hashtable _manifest = ModulePackage.ReadManifest(ModulePackage.LayoutManifestPath);

    [Fact]
    public void Every_file_the_manifest_names_is_in_the_layout()
    {
        string[] named = ManifestFiles().ToArray();
        Assert.Contains("Aurous.PowerShell.dll", named);
        Assert.Contains("Aurous.format.ps1xml", named);
        Assert.All(named, f => Assert.True(File.Exists(Path.Combine(ModulePackage.LayoutDirectory, f)), $"{f} is named by the manifest but not in the layout"));
    }

    [Fact]
    public void The_layout_holds_the_manifest_its_files_and_the_dependency_closure_only()
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal) { "Aurous.psd1", LoadContextAssembly };
        expected.UnionWith(ManifestFiles());
        expected.UnionWith(PackageClosure().Select(file => $"Dependencies/{file}"));
        Assert.Subset(expected, DependencyClosure().Select(name => $"Dependencies/{name}.dll").ToHashSet());

        // Every build ships the help, PlatyPS or not: the committed MAML and the about topic.
        expected.UnionWith(HelpFiles);

        Assert.Equal(expected, ModulePackage.LayoutFiles());
    }

    [Fact]
    public void Nothing_from_builds_tests_or_the_host_ships()
    {
        Assert.All(ModulePackage.LayoutFiles(), f =>
        {
            Assert.DoesNotContain(Path.GetExtension(f), new[] { ".pdb", ".json", ".deps", ".nupkg", ".cs", ".ps1" });
            Assert.False(f.EndsWith(".xml", StringComparison.Ordinal) && !f.StartsWith("en-US/", StringComparison.Ordinal), $"{f}: XML docs do not ship");
            Assert.DoesNotContain("Test", f, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Emulator", f, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("System.Management.Automation", f, StringComparison.Ordinal);
            Assert.DoesNotContain("xunit", f, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void The_layout_ships_the_built_assembly_the_repository_manifest_and_the_committed_help_unchanged()
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(ModulePackage.RepositoryRoot, "Aurous.psd1")), File.ReadAllBytes(ModulePackage.LayoutManifestPath));
        Assert.Equal(File.ReadAllBytes(ModuleLayout.CmdletAssemblyPath), File.ReadAllBytes(Path.Combine(ModulePackage.LayoutDirectory, "Aurous.PowerShell.dll")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(ModulePackage.RepositoryRoot, "src", "Aurous.PowerShell", "en-US", "Aurous.PowerShell.dll-Help.xml")), File.ReadAllBytes(Path.Combine(ModulePackage.LayoutDirectory, "en-US", "Aurous.PowerShell.dll-Help.xml")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(ModulePackage.RepositoryRoot, "docs", "about_Aurous.help.txt")), File.ReadAllBytes(Path.Combine(ModulePackage.LayoutDirectory, "en-US", "about_Aurous.help.txt")));
    }

    [Fact]
    public void The_version_agrees_in_the_props_the_manifest_the_folder_and_the_assemblies()
    {
        Assert.Equal(ModulePackage.Version, _manifest["ModuleVersion"]);
        Assert.Equal(ModulePackage.Version, Path.GetFileName(ModulePackage.LayoutDirectory));
        Assert.Equal(ModulePackage.Version, AssemblyName.GetAssemblyName(Path.Combine(ModulePackage.LayoutDirectory, "Aurous.PowerShell.dll")).Version!.ToString(3));
        Assert.Equal(ModulePackage.Version, AssemblyName.GetAssemblyName(Path.Combine(ModulePackage.LayoutDirectory, LoadContextAssembly)).Version!.ToString(3));
        Assert.Equal(ModulePackage.Version, AssemblyName.GetAssemblyName(Path.Combine(ModulePackage.DependencyDirectory, "Aurous.Client.dll")).Version!.ToString(3));
    }

    [Fact]
    public void Each_dependency_is_at_least_the_version_every_reference_asks_for()
    {
        // Windows PowerShell applies no binding redirects for a module, so its resolver hands out the one copy
        // carried here for any version asked: that copy must be the newest any reference needs.
        foreach (string name in DependencyClosure().Append("Aurous.PowerShell"))
        {
            string path = name == "Aurous.PowerShell" ? Path.Combine(ModulePackage.LayoutDirectory, "Aurous.PowerShell.dll") : DependencyPath(name);
            foreach (AssemblyName reference in References(path).Where(r => File.Exists(DependencyPath(r.Name!))))
            {
                Version carried = AssemblyName.GetAssemblyName(DependencyPath(reference.Name!)).Version!;
                Assert.True(carried >= reference.Version, $"{name} asks for {reference.FullName}; the module carries {carried}");
            }
        }
    }

    /// <summary>RootModule, formats, types, nested modules, required assemblies and FileList.</summary>
    private IEnumerable<string> ManifestFiles() =>
        new[] { "RootModule", "FormatsToProcess", "TypesToProcess", "NestedModules", "RequiredAssemblies", "FileList", "ScriptsToProcess" }
            .SelectMany(key => ModulePackage.Strings(_manifest[key]))
            .Select(f => f.Replace('\\', '/'))
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Every assembly the cmdlet assembly needs, transitively, that netstandard2.0 and the PowerShell host do not
    /// supply; a reference to anything else must be found in Dependencies/.
    /// </summary>
    private static SortedSet<string> DependencyClosure()
    {
        var closure = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Path.Combine(ModulePackage.LayoutDirectory, "Aurous.PowerShell.dll"));
        while (pending.Count > 0)
        {
            foreach (AssemblyName reference in References(pending.Pop()))
            {
                string name = reference.Name!;
                if (HostSupplied.Contains(name) || closure.Contains(name))
                {
                    continue;
                }

                Assert.True(File.Exists(DependencyPath(name)), $"{name} is referenced but neither in Dependencies/ nor part of netstandard2.0 or PowerShell");
                closure.Add(name);
                pending.Push(DependencyPath(name));
            }
        }

        return closure;
    }

    /// <summary>
    /// The runtime files NuGet resolved for the module (its deps.json): the package closure, including libraries a
    /// package lists that nothing references in metadata (Microsoft.Extensions.Http's configuration abstractions).
    /// </summary>
    private static IEnumerable<string> PackageClosure()
    {
        using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleLayout.ModuleDirectory, "Aurous.PowerShell.deps.json")));
        string target = deps.RootElement.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        return deps.RootElement.GetProperty("targets").GetProperty(target).EnumerateObject()
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(asset => Path.GetFileName(asset.Name)))
            .Where(file => file != "Aurous.PowerShell.dll")
            .ToList();
    }

    private static string DependencyPath(string name) => Path.Combine(ModulePackage.DependencyDirectory, name + ".dll");

    private static IEnumerable<AssemblyName> References(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        MetadataReader reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
    }

    /// <summary>The netstandard2.0 surface (its reference facades) plus the engine itself.</summary>
    private static readonly HashSet<string> HostSupplied = NetStandardFacades();

    private static HashSet<string> NetStandardFacades()
    {
        string facades = Directory.GetDirectories(Path.Combine(ModulePackage.NuGetPackagesDirectory, "netstandard.library")).Select(v => Path.Combine(v, "build", "netstandard2.0", "ref")).First(Directory.Exists);
        var names = new HashSet<string>(Directory.GetFiles(facades, "*.dll").Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase)
        {
            "System.Management.Automation",
        };
        return names;
    }
}
