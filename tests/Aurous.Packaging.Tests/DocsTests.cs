using System.Management.Automation.Language;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Aurous.PowerShell.Tests;
using CmdletInfo = Aurous.PowerShell.Tests.CmdletInfo;
using ParameterInfo = Aurous.PowerShell.Tests.ParameterInfo;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>
/// docs/ and the built cmdlets cannot drift apart: every cmdlet has a page in the PlatyPS 1.0 schema, every parameter
/// in the assembly's metadata has its section with the real type, aliases and per-set position, mandatory and
/// pipeline binding, the syntax blocks name each set's parameters, and every example parses and uses only real
/// cmdlets and parameters. about_Aurous.help.txt follows the about-topic conventions and explains every ErrorId.
/// The MAML built from these pages is checked against its committed copy by tests/Pester/Help.Tests.ps1.
/// </summary>
public sealed partial class DocsTests : IClassFixture<DocsTests.Metadata>
{
    /// <summary>What a contributor runs after changing a cmdlet; every failure below ends with it.</summary>
    internal const string Remedy = "Update the page as docs/README.md describes, then run './build.ps1 -Task Docs' and commit docs/ and src/Aurous.PowerShell/en-US/.";

    // Common parameters and their aliases, which any cmdlet accepts; WhatIf/Confirm only with SupportsShouldProcess.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa", "ProgressAction", "proga",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov", "OutBuffer", "ob", "PipelineVariable", "pv",
    };

    private static readonly HashSet<string> ShouldProcess = new(StringComparer.OrdinalIgnoreCase) { "WhatIf", "wi", "Confirm", "cf" };

    private static readonly string DocsDirectory = Path.Combine(ModulePackage.RepositoryRoot, "docs");

    private static readonly string AboutPath = Path.Combine(DocsDirectory, "about_Aurous.help.txt");

    private static readonly string[] AboutHeadings = { "TOPIC", "SHORT DESCRIPTION", "LONG DESCRIPTION", "EXAMPLES", "NOTE", "TROUBLESHOOTING NOTE", "SEE ALSO", "KEYWORDS" };

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
        string[] pages = Directory.GetFiles(DocsDirectory, "*-*.md").Select(p => Path.GetFileNameWithoutExtension(p)!).ToArray();
        string[] cmdlets = _metadata.Cmdlets.Select(c => c.Name).ToArray();
        string[] missing = cmdlets.Except(pages, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        string[] stale = pages.Except(cmdlets, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"No page for {string.Join(", ", missing)}: create docs/<Cmdlet>.md with New-MarkdownCommandHelp and fill in every {{{{ }}}} placeholder. {Remedy}");
        Assert.True(stale.Length == 0, $"docs/ has pages for {string.Join(", ", stale)}, which the module does not export: delete them. {Remedy}");

        // Besides the pages, only the about topic (which ships) and the contributors' README.
        Assert.All(Directory.GetFiles(DocsDirectory).Select(Path.GetFileName).Where(f => !f!.Contains('-')), f => Assert.Contains(f, new[] { "about_Aurous.help.txt", "README.md" }));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_page_follows_the_PlatyPS_1_0_schema(string cmdlet)
    {
        HelpPage page = Page(cmdlet);
        string where = $"docs/{cmdlet}.md";
        Assert.Equal("cmdlet", page.FrontMatter["document type"]);
        Assert.Equal("Aurous.PowerShell.dll-Help.xml", page.FrontMatter["external help file"]);
        Assert.Equal("Aurous", page.FrontMatter["Module Name"]);
        Assert.Equal("en-US", page.FrontMatter["Locale"]);
        Assert.Equal("2024-05-01", page.FrontMatter["PlatyPS schema version"]);

        // Get-Help -Online opens this page in the repository the manifest names.
        var psData = (System.Collections.Hashtable)((System.Collections.Hashtable)ModulePackage.ReadManifest(Path.Combine(ModulePackage.RepositoryRoot, "Aurous.psd1"))["PrivateData"]!)["PSData"]!;
        Assert.Equal($"{psData["ProjectUri"]}/blob/main/docs/{cmdlet}.md", page.FrontMatter["HelpUri"]);
        Assert.Equal(cmdlet, page.Title);
        Assert.Equal(HelpPage.SectionOrder, page.Sections);

        int placeholder = page.Text.IndexOf("{{", StringComparison.Ordinal);
        Assert.True(placeholder < 0, $"{where} still has a placeholder: '{(placeholder < 0 ? string.Empty : page.Text[placeholder..page.Text.IndexOf('\n', placeholder)])}'. {Remedy}");
        Assert.False(string.IsNullOrWhiteSpace(page.SectionText["SYNOPSIS"]), $"{where}: no synopsis. {Remedy}");
        Assert.False(string.IsNullOrWhiteSpace(page.SectionText["DESCRIPTION"]), $"{where}: no description. {Remedy}");
        Assert.False(string.IsNullOrWhiteSpace(page.SectionText["ALIASES"]), $"{where}: ALIASES is empty; write 'This cmdlet has no aliases.' or list them. {Remedy}");
        Assert.Contains(page.Entries["PARAMETERS"], e => e.Heading == "CommonParameters");
        Assert.NotEmpty(page.Entries["INPUTS"]);
        Assert.NotEmpty(page.Entries["OUTPUTS"]);
        Assert.All(page.Entries["INPUTS"].Concat(page.Entries["OUTPUTS"]), e => Assert.True(e.Description.Length > 0, $"{where}: {e.Heading} has no description. {Remedy}"));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_documented_and_every_documented_parameter_exists(string cmdlet)
    {
        CmdletInfo info = _metadata[cmdlet];
        var expected = info.Parameters.Select(p => p.Name).Concat(EngineAdded(info)).ToList();

        string[] documented = Page(cmdlet).Parameters.Keys.ToArray();
        string[] missing = expected.Except(documented, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        string[] stale = documented.Except(expected, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"docs/{cmdlet}.md has no section for -{string.Join(", -", missing)}: Update-MarkdownCommandHelp adds it; describe it. {Remedy}");

        // -ProgressAction is a common parameter on PowerShell 7.4+, listed under CommonParameters, never as the module's own.
        Assert.True(stale.Length == 0, $"docs/{cmdlet}.md documents -{string.Join(", -", stale)}, which {cmdlet} does not have (common parameters belong under CommonParameters only). {Remedy}");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_parameter_section_states_the_real_type_aliases_and_each_sets_binding(string cmdlet)
    {
        CmdletInfo info = _metadata[cmdlet];
        HelpPage page = Page(cmdlet);
        foreach (ParameterInfo parameter in info.Parameters)
        {
            HelpPage.Entry entry = page.Parameters[parameter.Name];
            string context = $"docs/{cmdlet}.md -{parameter.Name}";
            Assert.True(entry.Description.Length > 0, $"{context} has no description. {Remedy}");
            HelpPage.ParameterYaml yaml = entry.Parameter();

            Assert.True(TypeNames(parameter).Contains(yaml.Type), $"{context}: Type {yaml.Type}, the cmdlet says {TypeNames(parameter)[0]}. {Remedy}");
            Assert.True(parameter.Aliases.SequenceEqual(yaml.Aliases), $"{context}: Aliases [{string.Join(", ", yaml.Aliases)}], the cmdlet says [{string.Join(", ", parameter.Aliases)}]. {Remedy}");

            string[] actual = parameter.Sets.Select(s => Describe(s.SetName == ParameterSetInfo.AllSets ? "(All)" : s.SetName, s.IsPositional ? s.Position.ToString() : "Named", s.Mandatory, s.ValueFromPipeline, s.ValueFromPipelineByPropertyName)).Order(StringComparer.Ordinal).ToArray();
            string[] written = yaml.ParameterSets.Select(s => Describe(s.Name, s.Position, s.IsRequired, s.ValueFromPipeline, s.ValueFromPipelineByPropertyName)).Order(StringComparer.Ordinal).ToArray();
            Assert.True(actual.SequenceEqual(written), $"{context}: ParameterSets\n  {string.Join("\n  ", written)}\nbut the cmdlet declares\n  {string.Join("\n  ", actual)}\n{Remedy}");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_syntax_section_has_one_block_per_parameter_set_naming_its_parameters(string cmdlet)
    {
        CmdletInfo info = _metadata[cmdlet];
        List<HelpPage.Entry> syntax = Page(cmdlet).Entries["SYNTAX"];
        string SetOf(HelpPage.Entry e) => e.Heading.Replace(" (Default)", string.Empty, StringComparison.Ordinal);
        Assert.Equal(info.SetNames.Order(StringComparer.Ordinal), syntax.Select(SetOf).Order(StringComparer.Ordinal));
        if (info.SetNames.Count > 1)
        {
            Assert.Equal(info.DefaultParameterSetName, syntax.SingleOrDefault(e => e.Heading.EndsWith(" (Default)", StringComparison.Ordinal)) is { } d ? SetOf(d) : null);
        }

        // The MAML's syntax is built from these blocks, so a parameter missing here is missing from Get-Help's SYNTAX.
        foreach (HelpPage.Entry entry in syntax)
        {
            string block = entry.Blocks(string.Empty).Single();
            Assert.StartsWith(cmdlet + " ", block, StringComparison.Ordinal);
            var expected = info.InSet(SetOf(entry)).Select(p => p.Parameter.Name).Concat(EngineAdded(info)).ToList();

            string[] named = SyntaxParameter().Matches(block).Select(m => m.Groups[1].Value).ToArray();
            Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(named.Order(StringComparer.Ordinal)), $"docs/{cmdlet}.md SYNTAX {entry.Heading} names -{string.Join(" -", named)}; the set has -{string.Join(" -", expected)}. {Remedy}");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_example_parses_and_uses_real_cmdlets_and_parameters(string cmdlet)
    {
        HelpPage page = Page(cmdlet);
        Assert.True(page.Examples.Count >= 2, $"docs/{cmdlet}.md has {page.Examples.Count} example(s); write at least 2. {Remedy}");
        bool usesItsCmdlet = false;
        foreach (HelpPage.Entry example in page.Examples)
        {
            string code = Assert.Single(example.Blocks("powershell"));
            foreach (CommandAst command in ParseCommands(HelpPage.WithoutPrompts(code), $"docs/{cmdlet}.md {example.Heading}"))
            {
                usesItsCmdlet |= command.GetCommandName() == cmdlet;
                AssertKnownParameters(command, $"docs/{cmdlet}.md {example.Heading}");
            }
        }

        Assert.True(usesItsCmdlet, $"no example of {cmdlet} calls {cmdlet}");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_related_link_resolves(string cmdlet)
    {
        foreach ((string text, string target) in Page(cmdlet).RelatedLinks)
        {
            if (!target.StartsWith("https://", StringComparison.Ordinal))
            {
                Assert.True(File.Exists(Path.Combine(DocsDirectory, target)), $"docs/{cmdlet}.md links '{text}' to {target}, which is not in docs/. {Remedy}");
            }
        }

        Assert.Contains(Page(cmdlet).RelatedLinks, l => l.Target == "about_Aurous.help.txt");
    }

    [Fact]
    public void The_about_topic_follows_the_about_topic_conventions()
    {
        string[] lines = AboutLines();
        Assert.Equal(new[] { "TOPIC", "    about_Aurous" }, lines[..2]);
        Assert.Equal(AboutHeadings, lines.Where(l => l.Length > 0 && !l.StartsWith(' ')));
        Assert.All(lines.Select((l, i) => (Line: l, Number: i + 1)), l =>
        {
            Assert.True(l.Line.Length <= 80, $"about_Aurous.help.txt line {l.Number} is {l.Line.Length} columns; keep it to 80.");
            Assert.True(l.Line.All(c => c >= ' ' && c < 127), $"about_Aurous.help.txt line {l.Number} has a tab or a non-ASCII character, which Windows PowerShell 5.1 may show garbled.");
        });
    }

    [Fact]
    public void The_about_topic_examples_use_real_cmdlets_and_parameters()
    {
        // Code is a block indented 8 spaces after a blank line; blocks that name a cmdlet of the module must parse.
        foreach (string block in CodeBlocks(AboutLines()).Where(b => b.Contains("-Aurous", StringComparison.Ordinal)))
        {
            foreach (CommandAst command in ParseCommands(block, "about_Aurous"))
            {
                AssertKnownParameters(command, "about_Aurous");
            }
        }

        string[] examples = Section("EXAMPLES").Split('\n');
        Assert.True(examples.Count(l => Regex.IsMatch(l, @"^    Example \d+: ")) >= 2, "about_Aurous needs at least 2 examples");
        Assert.True(CodeBlocks(examples).Count(b => b.Contains("-Aurous", StringComparison.Ordinal)) >= 2, "each about_Aurous example needs its code, indented 8 spaces after a blank line");
    }

    [Fact]
    public void The_about_topic_sees_also_every_cmdlet()
    {
        string[] seeAlso = Section("SEE ALSO").Split('\n').Select(l => l.Trim()).ToArray();
        string[] missing = _metadata.Cmdlets.Select(c => c.Name).Where(n => !seeAlso.Contains(n)).ToArray();
        Assert.True(missing.Length == 0, $"about_Aurous.help.txt: add {string.Join(", ", missing)} to SEE ALSO (and to the cmdlet table in LONG DESCRIPTION). {Remedy}");
    }

    [Fact]
    public void The_about_topic_explains_every_ErrorId_with_its_category()
    {
        // The client's own table, run from the layout's copy in a context of its own that the isolation tests do not see.
        var context = new AssemblyLoadContext("about-topic", isCollectible: true);
        try
        {
            using FileStream file = File.OpenRead(Path.Combine(ModulePackage.DependencyDirectory, "Aurous.Client.dll"));
            Type errors = context.LoadFromStream(file).GetType("Aurous.Client.AurousErrors", throwOnError: true)!;
            MethodInfo categoryOf = errors.GetMethod("CategoryOf")!;
            var expected = errors.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral)
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToDictionary(id => id, id => categoryOf.Invoke(null, new object[] { id })!.ToString()!);
            Assert.NotEmpty(expected);

            var documented = Regex.Matches(Section("TROUBLESHOOTING NOTE"), @"(?m)^    (\w+) \((\w+)\)$").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            string[] missing = expected.Keys.Except(documented.Keys).Order(StringComparer.Ordinal).ToArray();
            Assert.True(missing.Length == 0, $"about_Aurous.help.txt TROUBLESHOOTING NOTE does not explain {string.Join(", ", missing)}: add '    <ErrorId> (<Category>)' with what it means and what to do.");
            Assert.Empty(documented.Keys.Except(expected.Keys));
            Assert.All(expected, e => Assert.True(documented[e.Key] == e.Value, $"about_Aurous.help.txt gives {e.Key} the category {documented[e.Key]}; the client reports {e.Value}."));
        }
        finally
        {
            context.Unload();
        }
    }

    // Parameters the engine adds from the Cmdlet attribute; they have no property in the cmdlet class.
    private static IEnumerable<string> EngineAdded(CmdletInfo info) =>
        (info.SupportsShouldProcess ? new[] { "WhatIf", "Confirm" } : Array.Empty<string>())
            .Concat(info.SupportsPaging ? new[] { "First", "Skip", "IncludeTotalCount" } : Array.Empty<string>());

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
        accepted.UnionWith(EngineAdded(cmdlet));
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
        Assert.True(errors.Length == 0, $"{where}: {string.Join("; ", errors.Select(e => e.Message))}\n{code}");
        return ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>();
    }

    private static HelpPage Page(string cmdlet) => HelpPage.Load(Path.Combine(DocsDirectory, cmdlet + ".md"));

    private static string[] AboutLines() => File.ReadAllText(AboutPath).Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    /// <summary>The lines under a top-level heading of the about topic, up to the next one.</summary>
    private static string Section(string heading)
    {
        string[] lines = AboutLines();
        int start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"about_Aurous.help.txt has no {heading} heading");
        return string.Join("\n", lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith(' ')));
    }

    private static IEnumerable<string> CodeBlocks(string[] lines)
    {
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("        ", StringComparison.Ordinal) && lines[i - 1].Length == 0)
            {
                yield return string.Join("\n", lines.Skip(i).TakeWhile(l => l.StartsWith("        ", StringComparison.Ordinal)).Select(l => l[8..]));
            }
        }
    }

    /// <summary>The names PlatyPS may write for the parameter's type: its full name, and for T? also T.</summary>
    private static string[] TypeNames(ParameterInfo parameter)
    {
        const string Nullable = "System.Nullable`1[[";
        if (parameter.TypeName.StartsWith(Nullable, StringComparison.Ordinal))
        {
            string underlying = parameter.TypeName[Nullable.Length..parameter.TypeName.IndexOf(',')];
            return new[] { underlying, $"System.Nullable`1[{underlying}]" };
        }

        return new[] { parameter.TypeName };
    }

    private static string Describe(string set, string position, bool required, bool byValue, bool byPropertyName) =>
        $"{set}: Position {position}, IsRequired {required}, ValueFromPipeline {byValue}, ValueFromPipelineByPropertyName {byPropertyName}";

    [GeneratedRegex(@"(?<=[\[\s])-(\w+)")]
    private static partial Regex SyntaxParameter();

    public sealed class Metadata : IDisposable
    {
        internal CmdletMetadata Cmdlets { get; } = new();

        public void Dispose() => Cmdlets.Dispose();
    }
}
