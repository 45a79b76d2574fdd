using System.Collections;
using System.Management.Automation.Language;
using System.Xml.Linq;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>Aurous.psd1 and the module folder agree with the built cmdlets and with the repository's version.</summary>
public sealed class ManifestTests : IClassFixture<CmdletContractTests.Fixture>
{
    private readonly CmdletMetadata _metadata;
    private readonly Hashtable _manifest = ReadManifest(ModuleLayout.SourceManifestPath);

    public ManifestTests(CmdletContractTests.Fixture fixture) => _metadata = fixture.Metadata;

    [Fact]
    public void CmdletsToExport_names_exactly_the_cmdlets_in_the_assembly()
    {
        string[] exported = Strings(_manifest["CmdletsToExport"]);
        Assert.DoesNotContain(exported, e => e.Contains('*') || e.Contains('?'));
        Assert.Equal(_metadata.Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal), exported.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("AliasesToExport")]
    [InlineData("VariablesToExport")]
    public void Nothing_but_cmdlets_is_exported(string key)
    {
        Assert.True(_manifest.ContainsKey(key), $"{key} missing: PowerShell would export everything");
        Assert.Empty(Strings(_manifest[key]));
    }

    [Fact]
    public void The_manifest_describes_the_built_module()
    {
        Assert.Equal("Aurous.PowerShell.dll", _manifest["RootModule"]);
        Assert.True(File.Exists(Path.Combine(ModuleLayout.ModuleDirectory, (string)_manifest["RootModule"]!)));
        Assert.Equal("5.1", _manifest["PowerShellVersion"]);
        Assert.Equal(new[] { "Core", "Desktop" }, Strings(_manifest["CompatiblePSEditions"]).OrderBy(e => e, StringComparer.Ordinal));
        Assert.True(Guid.TryParse((string)_manifest["GUID"]!, out _));

        string versionPrefix = XDocument.Load(Path.Combine(ModuleLayout.RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Assert.Equal(versionPrefix, _manifest["ModuleVersion"]);
        Assert.Equal(versionPrefix, _metadata.Assembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void The_manifest_carries_the_gallery_metadata()
    {
        var psData = (Hashtable)((Hashtable)_manifest["PrivateData"]!)["PSData"]!;
        Assert.NotEmpty(Strings(psData["Tags"]));
        Assert.All(Strings(psData["Tags"]), t => Assert.DoesNotContain(' ', t));
        Assert.True(Uri.IsWellFormedUriString((string)psData["ProjectUri"]!, UriKind.Absolute));
        Assert.True(Uri.IsWellFormedUriString((string)psData["LicenseUri"]!, UriKind.Absolute));
        Assert.False(string.IsNullOrWhiteSpace((string?)psData["ReleaseNotes"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)_manifest["Description"]));
    }

    [Fact]
    public void The_module_folder_is_importable_and_does_not_ship_the_engine()
    {
        Assert.Equal(File.ReadAllText(ModuleLayout.SourceManifestPath), File.ReadAllText(ModuleLayout.ManifestPath));
        foreach (string format in Strings(_manifest["FormatsToProcess"]))
        {
            Assert.True(File.Exists(Path.Combine(ModuleLayout.ModuleDirectory, format)), format);
        }

        Assert.True(File.Exists(Path.Combine(ModuleLayout.ModuleDirectory, "Aurous.Client.dll")));
        Assert.False(File.Exists(Path.Combine(ModuleLayout.ModuleDirectory, "System.Management.Automation.dll")), "the host supplies the engine; a copy would shadow it");
    }

    [Fact]
    public void The_format_file_has_a_table_and_a_list_view_over_real_character_properties()
    {
        string format = Strings(_manifest["FormatsToProcess"]).Single();
        XDocument document = XDocument.Load(Path.Combine(ModuleLayout.ModuleDirectory, format));
        var characterViews = document.Descendants("View").Where(v => v.Descendants("TypeName").Any(t => t.Value == "Aurous.Client.Character")).ToList();
        Assert.Single(characterViews, v => v.Element("TableControl") != null);
        Assert.Single(characterViews, v => v.Element("ListControl") != null);

        var labels = characterViews.Single(v => v.Element("TableControl") != null).Descendants("Label").Select(l => l.Value);
        Assert.Equal(new[] { "Id", "Status", "UpdatedAt", "Name" }, labels);

        // A column or item a script cannot select is a view of nothing: every label and property names a real property.
        var properties = _metadata.ClientType("Aurous.Client.Character").GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string property in document.Descendants("View").Where(v => characterViews.Contains(v)).Descendants().Where(e => e.Name == "PropertyName" || e.Name == "Label").Select(p => p.Value))
        {
            Assert.Contains(property, properties);
        }

        // The same for every other view (the context, the emulator and its ledger, charges and clock), over its own type.
        foreach (XElement view in document.Descendants("View").Where(v => !characterViews.Contains(v)))
        {
            string typeName = view.Descendants("TypeName").Single().Value;
            Type type = typeName.StartsWith("Aurous.Client.", StringComparison.Ordinal) ? _metadata.ClientType(typeName) : _metadata.PublicTypes.Single(t => t.FullName == typeName);
            var viewProperties = type.GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (string property in view.Descendants().Where(e => e.Name == "PropertyName" || e.Name == "Label").Select(p => p.Value))
            {
                Assert.True(viewProperties.Contains(property), $"{typeName} has no property {property}");
            }
        }
    }

    internal static Hashtable ReadManifest(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        Assert.Empty(errors);
        var hashtable = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
        return (Hashtable)hashtable.SafeGetValue();
    }

    private static string[] Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        object[] array => array.Cast<string>().ToArray(),
        _ => throw new InvalidOperationException($"unexpected {value.GetType()}"),
    };
}
