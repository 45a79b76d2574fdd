using System.Management.Automation;
using System.Management.Automation.Language;
using BindingFlags = System.Reflection.BindingFlags;
using Aurous.PowerShell.Tests;
using CmdletInfo = Aurous.PowerShell.Tests.CmdletInfo;
using ParameterInfo = Aurous.PowerShell.Tests.ParameterInfo;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>
/// docs/ and the built cmdlets cannot drift apart: every parameter in the assembly's metadata has its section,
/// every documented parameter exists with the documented type, aliases and pipeline binding, and every example
/// parses and uses only real cmdlets and parameters.
/// </summary>
public sealed class DocsTests : IClassFixture<DocsTests.Metadata>
{
    // Common parameters and their aliases, which any cmdlet accepts; WhatIf/Confirm only with SupportsShouldProcess.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa", "ProgressAction", "proga",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov", "OutBuffer", "ob", "PipelineVariable", "pv",
    };

    private static readonly HashSet<string> ShouldProcess = new(StringComparer.OrdinalIgnoreCase) { "WhatIf", "wi", "Confirm", "cf" };

    private static readonly string DocsDirectory = Path.Combine(ModulePackage.RepositoryRoot, "docs");

    private readonly CmdletMetadata _metadata;

    public DocsTests(Metadata fixture) => _metadata = fixture.Cmdlets;

    public static TheoryData<string> CmdletNames()
    {
        using var metadata = new CmdletMetadata();
        var data = new TheoryData<string>();
        foreach (CmdletInfo cmdlet in metadata.Cmdlets)
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    [Fact]
    public void Every_page_is_a_cmdlet_and_every_cmdlet_has_a_page()
    {
        string[] pages = Directory.GetFiles(DocsDirectory, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("about_", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray()!;
        Assert.Equal(_metadata.Cmdlets.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal), pages);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_page_follows_the_PlatyPS_schema(string cmdlet)
    {
        HelpPage page = Page(cmdlet);
        Assert.Equal("Aurous.PowerShell.dll-Help.xml", page.FrontMatter["external help file"]);
        Assert.Equal("Aurous", page.FrontMatter["Module Name"]);
        Assert.Equal("2.0.0", page.FrontMatter["schema"]);
        // Get-Help -Online opens this page in the repository the manifest names.
        var psData = (System.Collections.Hashtable)((System.Collections.Hashtable)ModulePackage.ReadManifest(Path.Combine(ModulePackage.RepositoryRoot, "Aurous.psd1"))["PrivateData"]!)["PSData"]!;
        Assert.Equal($"{psData["ProjectUri"]}/blob/main/docs/{cmdlet}.md", page.FrontMatter["online version"]);
        Assert.Equal(cmdlet, page.Title);
        Assert.Equal(HelpPage.SectionOrder, page.Sections);
        Assert.False(string.IsNullOrWhiteSpace(page.SectionText.GetValueOrDefault("SYNOPSIS")), "no synopsis");
        Assert.False(string.IsNullOrWhiteSpace(page.SectionText.GetValueOrDefault("DESCRIPTION")), "no description");
        Assert.Contains(page.Entries["PARAMETERS"], e => e.Heading == "CommonParameters");
        Assert.NotEmpty(page.Entries["INPUTS"]);
        Assert.NotEmpty(page.Entries["OUTPUTS"]);
        Assert.DoesNotContain("{{", File.ReadAllText(page.Path), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_documented_and_every_documented_parameter_exists(string cmdlet)
    {
        CmdletInfo info = _metadata[cmdlet];
        var expected = info.Parameters.Select(p => p.Name).ToList();
        if (info.SupportsShouldProcess)
        {
            expected.AddRange(new[] { "Confirm", "WhatIf" });
        }

        Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), Page(cmdlet).Parameters.Keys.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_parameter_section_states_the_real_type_sets_aliases_and_pipeline_binding(string cmdlet)
    {
        CmdletInfo info = _metadata[cmdlet];
        HelpPage page = Page(cmdlet);
        foreach (ParameterInfo parameter in info.Parameters)
        {
            HelpPage.Entry entry = page.Parameters[parameter.Name];
            Assert.False(string.IsNullOrWhiteSpace(string.Join("", entry.Lines.TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal)))), $"-{parameter.Name} has no description");
            IReadOnlyDictionary<string, string> yaml = entry.Yaml();
            string context = $"{cmdlet} -{parameter.Name}";

            Assert.True(ShortTypeName(parameter) == yaml["Type"], $"{context}: Type {yaml["Type"]}, metadata says {ShortTypeName(parameter)}");
            Assert.True(string.Join(", ", parameter.Aliases) == yaml["Aliases"], $"{context}: Aliases '{yaml["Aliases"]}'");

            bool inAllSets = parameter.Sets.Any(s => s.SetName == ParameterSetInfo.AllSets) || info.SetNames.All(n => parameter.Sets.Any(s => s.SetName == n));
            string sets = inAllSets ? "(All)" : string.Join(", ", parameter.Sets.Select(s => s.SetName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.True(sets == (yaml["Parameter Sets"] == "(All)" ? "(All)" : string.Join(", ", yaml["Parameter Sets"].Split(", ").OrderBy(n => n, StringComparer.Ordinal))), $"{context}: Parameter Sets '{yaml["Parameter Sets"]}'");

            Assert.True(parameter.Sets.Any(s => s.Mandatory).ToString() == yaml["Required"], $"{context}: Required {yaml["Required"]}");
            ParameterSetInfo first = parameter.Sets[0];
            Assert.True((first.IsPositional ? first.Position.ToString() : "Named") == yaml["Position"], $"{context}: Position {yaml["Position"]}");

            var binding = new List<string>();
            if (parameter.Sets.Any(s => s.ValueFromPipelineByPropertyName))
            {
                binding.Add("ByPropertyName");
            }

            if (parameter.Sets.Any(s => s.ValueFromPipeline))
            {
                binding.Add("ByValue");
            }

            string pipeline = binding.Count == 0 ? "False" : $"True ({string.Join(", ", binding)})";
            Assert.True(pipeline == yaml["Accept pipeline input"], $"{context}: Accept pipeline input '{yaml["Accept pipeline input"]}', metadata says '{pipeline}'");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_syntax_section_has_one_block_per_parameter_set(string cmdlet)
    {
        CmdletInfo info = _metadata[cmdlet];
        string[] headings = Page(cmdlet).Entries["SYNTAX"].Select(e => e.Heading.Replace(" (Default)", string.Empty, StringComparison.Ordinal)).ToArray();
        Assert.Equal(info.SetNames.OrderBy(n => n, StringComparer.Ordinal), headings.OrderBy(n => n, StringComparer.Ordinal));
        string? defaultSet = Page(cmdlet).Entries["SYNTAX"].SingleOrDefault(e => e.Heading.EndsWith(" (Default)", StringComparison.Ordinal))?.Heading.Replace(" (Default)", string.Empty, StringComparison.Ordinal);
        if (info.SetNames.Count > 1)
        {
            Assert.Equal(info.DefaultParameterSetName, defaultSet);
        }

        Assert.All(Page(cmdlet).Entries["SYNTAX"], e => Assert.StartsWith(cmdlet + " ", e.Blocks(string.Empty).Single(), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_example_parses_and_uses_real_cmdlets_and_parameters(string cmdlet)
    {
        HelpPage page = Page(cmdlet);
        Assert.NotEmpty(page.Examples);
        bool usesItsCmdlet = false;
        foreach (HelpPage.Entry example in page.Examples)
        {
            string code = Assert.Single(example.Blocks("powershell"));
            foreach (CommandAst command in ParseCommands(HelpPage.WithoutPrompts(code), $"{cmdlet} {example.Heading}"))
            {
                usesItsCmdlet |= command.GetCommandName() == cmdlet;
                AssertKnownParameters(command, $"{cmdlet} {example.Heading}");
            }
        }

        Assert.True(usesItsCmdlet, $"no example of {cmdlet} calls {cmdlet}");
    }

    [Fact]
    public void The_about_topic_examples_use_real_cmdlets_and_parameters()
    {
        string about = File.ReadAllText(Path.Combine(DocsDirectory, "about_Aurous.md"));
        Assert.StartsWith("# about_Aurous\n", about.Replace("\r\n", "\n"), StringComparison.Ordinal);
        foreach (string heading in new[] { "## SHORT DESCRIPTION", "## LONG DESCRIPTION", "## EXAMPLES", "## TROUBLESHOOTING NOTE", "## SEE ALSO", "## KEYWORDS" })
        {
            Assert.Contains("\n" + heading + "\n", about, StringComparison.Ordinal);
        }

        // Indented lines are the topic's code; each Aurous command there must be real.
        string code = string.Join("\n", about.Split('\n').Where(l => l.StartsWith("    ", StringComparison.Ordinal) && l.Contains("-Aurous", StringComparison.Ordinal)).Select(l => l.Trim().TrimEnd('|').Trim()));
        Assert.NotEmpty(code);
        foreach (CommandAst command in ParseCommands(code, "about_Aurous"))
        {
            AssertKnownParameters(command, "about_Aurous");
        }
    }

    [Fact]
    public void The_about_topic_explains_every_ErrorId_the_client_reports()
    {
        string about = File.ReadAllText(Path.Combine(DocsDirectory, "about_Aurous.md"));
        Type errors = _metadata.ClientType("Aurous.Client.AurousErrors");
        string[] errorIds = errors.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.NotEmpty(errorIds);

        string[] documented = about.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(l => l.Split('|')[1].Trim()).ToArray();
        Assert.All(errorIds, id => Assert.Contains(id, documented));
        string[] troubleshooting = about[about.IndexOf("## TROUBLESHOOTING NOTE", StringComparison.Ordinal)..].Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| ErrorId", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))
            .Select(l => l.Split('|')[1].Trim()).ToArray();
        Assert.Equal(errorIds.OrderBy(i => i, StringComparer.Ordinal), troubleshooting.OrderBy(i => i, StringComparer.Ordinal));
    }

    private void AssertKnownParameters(CommandAst command, string where)
    {
        string? name = command.GetCommandName();
        if (name == null || !name.Contains("-Aurous", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        CmdletInfo? cmdlet = _metadata.Cmdlets.SingleOrDefault(c => c.Name == name);
        Assert.True(cmdlet != null, $"{where}: {name} is not a cmdlet of the module");
        var accepted = new HashSet<string>(cmdlet!.Parameters.SelectMany(p => p.Aliases.Append(p.Name)), StringComparer.OrdinalIgnoreCase);
        accepted.UnionWith(Common);
        if (cmdlet.SupportsShouldProcess)
        {
            accepted.UnionWith(ShouldProcess);
        }

        foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
        {
            Assert.True(accepted.Contains(parameter.ParameterName), $"{where}: {name} has no parameter -{parameter.ParameterName}");
        }
    }

    private static IEnumerable<CommandAst> ParseCommands(string code, string where)
    {
        ScriptBlockAst ast = Parser.ParseInput(code, out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, $"{where}: {string.Join("; ", errors.Select(e => e.Message))}");
        return ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>();
    }

    private static HelpPage Page(string cmdlet) => HelpPage.Load(Path.Combine(DocsDirectory, cmdlet + ".md"));

    /// <summary>The type as PlatyPS prints it: the short name, a nullable value type as its underlying type.</summary>
    private static string ShortTypeName(ParameterInfo parameter)
    {
        string name = parameter.TypeName;
        const string Nullable = "System.Nullable`1[[";
        if (name.StartsWith(Nullable, StringComparison.Ordinal))
        {
            name = name[Nullable.Length..name.IndexOf(',')];
        }

        return name[(name.LastIndexOf('.') + 1)..];
    }

    public sealed class Metadata : IDisposable
    {
        internal CmdletMetadata Cmdlets { get; } = new();

        public void Dispose() => Cmdlets.Dispose();
    }
}
