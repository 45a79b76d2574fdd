using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using Aurous.Emulator;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>README.md's promises: the two commands, and a quickstart that works when copied line by line.</summary>
[Collection(ModuleEngine.Name)]
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(ModulePackage.RepositoryRoot, "README.md")).Replace("\r\n", "\n");

    // Takes the engine so the import-time check in ModuleEngine runs before the quickstart calls a cmdlet.
    public ReadmeTests(ModuleEngine engine) => _ = engine;

    [Theory]
    [InlineData("dotnet run --project src/Aurous.Emulator -- --urls http://127.0.0.1:5080")]
    [InlineData("dotnet test Aurous.PowerShell.sln -c Release")]
    [InlineData("dotnet build src/Aurous.PowerShell -c Release")]
    [InlineData("Install-Module Aurous")]
    public void The_readme_gives_the_command(string command)
    {
        // As a code line (indented four or more spaces), so it is copied whole.
        Assert.Matches(@"\n {4,}" + System.Text.RegularExpressions.Regex.Escape(command), Readme);
    }

    [Fact]
    public async Task The_quickstart_works_when_copied_line_by_line()
    {
        string[] lines = Section("## Quickstart").Split('\n')
            .Where(l => l.StartsWith("       ", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToArray();
        string import = Assert.Single(lines, l => l.StartsWith("Import-Module ", StringComparison.Ordinal));
        Assert.Equal($"Import-Module ./out/Aurous/{ModulePackage.Version}/Aurous.psd1", import);

        // The shell steps (the emulator, the build, starting pwsh) are what this test process already did.
        string script = string.Join("\n", lines
            .Where(l => !l.StartsWith("dotnet ", StringComparison.Ordinal) && l != "pwsh")
            .Select(l => l == import ? "Import-Module $args[0] -ErrorAction Stop" : l.Replace(ModuleEngine.DocumentedEmulatorUri, "$($args[1])", StringComparison.Ordinal)));

        await using EmulatorServer emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SynthesisSeconds = 0 });
        using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        var output = ModuleEngine.Run(runspace, script, ModulePackage.LayoutManifestPath, emulator.BaseUri.ToString().TrimEnd('/'));

        var aurora = (PSObject)runspace.SessionStateProxy.GetVariable("aurora");
        string id = (string)aurora.Properties["Id"].Value;
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/characters/{id}");
        request.Headers.Add("X-Api-Key", EmulatorDefaults.TeamAKey);
        using JsonDocument character = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Equal("ready", character.RootElement.GetProperty("status").GetString());
        Assert.Equal("silver", character.RootElement.GetProperty("attributes").GetProperty("hair_color").GetString());
        Assert.Equal("brown", character.RootElement.GetProperty("attributes").GetProperty("eye_color").GetString());

        // Only the create was paid for: -WhatIf sent nothing.
        using JsonDocument ledger = JsonDocument.Parse(await http.GetStringAsync($"_emulator/teams/{EmulatorDefaults.TeamA}/ledger"));
        Assert.Equal(996, ledger.RootElement.GetProperty("credits").GetInt32());
        Assert.Contains(output, o => o.BaseObject.GetType().Name == "Character");
    }

    [Fact]
    public void The_readme_keeps_a_development_section_for_the_lead()
    {
        Assert.Contains("\n## Development\n", Readme, StringComparison.Ordinal);
        Assert.Contains("src/Aurous.Emulator/README.md", Readme, StringComparison.Ordinal);
    }

    private static string Section(string heading)
    {
        int start = Readme.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{heading}' section");
        int end = Readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? Readme[start..] : Readme[start..end];
    }
}
