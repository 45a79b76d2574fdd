using System.Management.Automation;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>PowerShell's own view of the laid-out module, as Install-Module's user would get it.</summary>
[Collection(ModuleEngine.Name)]
public sealed class InstalledModuleTests
{
    private readonly ModuleEngine _engine;

    public InstalledModuleTests(ModuleEngine engine) => _engine = engine;

    [Fact]
    public void Test_ModuleManifest_accepts_the_layout_at_the_repository_version()
    {
        PSObject module = Assert.Single(ModuleEngine.Run(_engine.Runspace, "Test-ModuleManifest -Path $args[0]", ModulePackage.LayoutManifestPath));
        Assert.Equal(new Version(ModulePackage.Version), module.Properties["Version"].Value);
        Assert.Equal("Aurous", module.Properties["Name"].Value);
    }

    [Fact]
    public void The_imported_module_exports_exactly_the_manifests_cmdlets_from_the_layout()
    {
        var manifest = ModulePackage.ReadManifest(ModulePackage.LayoutManifestPath);
        var commands = ModuleEngine.Run(_engine.Runspace, "Get-Command -Module Aurous");
        Assert.Equal(
            ModulePackage.Strings(manifest["CmdletsToExport"]).OrderBy(n => n, StringComparer.Ordinal),
            commands.Select(c => ((CommandInfo)c.BaseObject).Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(commands, c => Assert.Equal(CommandTypes.Cmdlet, ((CommandInfo)c.BaseObject).CommandType));

        PSObject module = Assert.Single(ModuleEngine.Run(_engine.Runspace, "Get-Module Aurous"));
        Assert.Equal(Path.TrimEndingDirectorySeparator(ModulePackage.LayoutDirectory), Path.TrimEndingDirectorySeparator((string)module.Properties["ModuleBase"].Value));
    }
}
