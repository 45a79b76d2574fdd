using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Aurous.Emulator;
using Xunit;
using Pwsh = System.Management.Automation.PowerShell;

namespace Aurous.Packaging.Tests;

/// <summary>
/// The help examples written for the emulator run, as printed, in the engine against a real emulator: a reader
/// who copies them gets no error the example does not announce.
/// </summary>
[Collection(ModuleEngine.Name)]
public sealed class ExampleRunTests
{
    private static readonly string DocsDirectory = Path.Combine(ModulePackage.RepositoryRoot, "docs");

    // Takes the engine so the import-time check in ModuleEngine runs before any example calls a cmdlet.
    public ExampleRunTests(ModuleEngine engine) => _ = engine;

    public static TheoryData<string> PagesWithEmulatorExamples()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(DocsDirectory, "*-Aurous*.md").OrderBy(p => p, StringComparer.Ordinal))
        {
            if (HelpPage.Load(path).Examples.Any(RunsOnTheEmulator))
            {
                data.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        return data;
    }

    [Fact]
    public void At_least_two_examples_run_on_the_emulator_and_one_is_a_pipeline()
    {
        var examples = Directory.GetFiles(DocsDirectory, "*-Aurous*.md").SelectMany(p => HelpPage.Load(p).Examples).Where(RunsOnTheEmulator).ToList();
        Assert.True(examples.Count >= 2, $"{examples.Count} emulator examples");
        Assert.Contains(examples, e => e.Blocks("powershell").Single().Contains("| Wait-AurousCharacter |", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PagesWithEmulatorExamples))]
    public async Task The_emulator_examples_run_as_printed(string cmdlet)
    {
        HelpPage page = HelpPage.Load(Path.Combine(DocsDirectory, cmdlet + ".md"));

        // An emulator per page: the module's client-side rate limits are per endpoint and team, so pages that
        // create many characters do not wait on each other's characters_synthesize budget.
        await using EmulatorServer emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SynthesisSeconds = 0 });
        using Runspace runspace = ModuleEngine.Open();
        runspace.SessionStateProxy.SetVariable("AurousEmulatorKey", new System.Net.NetworkCredential(string.Empty, EmulatorDefaults.TeamAKey).SecurePassword);
        ModuleEngine.Run(runspace, "Connect-Aurous -ApiKey $AurousEmulatorKey -BaseUri $args[0]", emulator.BaseUri);

        foreach (HelpPage.Entry example in page.Examples.Where(RunsOnTheEmulator))
        {
            string code = HelpPage.WithoutPrompts(example.Blocks("powershell").Single()).Replace(ModuleEngine.DocumentedEmulatorUri, emulator.BaseUri.ToString().TrimEnd('/'), StringComparison.Ordinal);
            string explanation = string.Join(" ", example.Lines.SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).Skip(1).SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).Skip(1));

            using Pwsh ps = Pwsh.Create();
            ps.Runspace = runspace;
            ps.AddScript(code);
            ps.Invoke();

            // An error the example announces (Remove's CharacterNotFound) is part of what it shows.
            Assert.All(ps.Streams.Error, e => Assert.True(explanation.Contains(e.FullyQualifiedErrorId.Split(',')[0], StringComparison.Ordinal), $"{cmdlet} {example.Heading}: {e.FullyQualifiedErrorId}: {e}"));
        }
    }

    private static bool RunsOnTheEmulator(HelpPage.Entry example) =>
        string.Join(" ", example.Lines).Contains("emulator", StringComparison.Ordinal) || example.Heading.Contains("emulator", StringComparison.Ordinal);
}
