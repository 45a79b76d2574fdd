using System.Management.Automation;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>The cmdlet surface users script against, checked on the built assembly's metadata.</summary>
public sealed class CmdletContractTests : IClassFixture<CmdletContractTests.Fixture>
{
    private const string CharacterType = "Aurous.Client.Character";

    // Verbs whose cmdlets change nothing on the server: reading, waiting, and the session's own context.
    private static readonly HashSet<string> NonMutatingVerbs = new(StringComparer.Ordinal) { "Get", "Wait", "Connect", "Disconnect" };

    // Cmdlets that spend credits must let -Confirm and $ConfirmPreference='Medium' stop them.
    private static readonly string[] CreditSpending = { "New-AurousCharacter", "Invoke-AurousResynthesis" };

    private static readonly string[] PerCharacterCmdlets = { "Save-AurousCharacter", "Save-AurousCharacterRef", "Remove-AurousCharacter", "Invoke-AurousResynthesis", "Wait-AurousCharacter", "Complete-AurousEmulatorSynthesis", "Show-AurousCharacter" };

    // The emulator's commands that act on the emulator piped from Start-AurousEmulator, or else the connected one.
    private static readonly string[] EmulatorCmdlets = { "Stop-AurousEmulator", "Reset-AurousEmulator", "Move-AurousEmulatorClock", "Add-AurousEmulatorFault", "Clear-AurousEmulatorFault", "Get-AurousEmulatorLedger", "Set-AurousEmulatorCredit" };

    private readonly CmdletMetadata _metadata;

    public CmdletContractTests(Fixture fixture) => _metadata = fixture.Metadata;

    public sealed class Fixture : IDisposable
    {
        internal CmdletMetadata Metadata { get; } = new();

        public void Dispose() => Metadata.Dispose();
    }

    [Fact]
    public void The_module_has_the_designed_cmdlets()
    {
        Assert.Equal(
            new[]
            {
                "Add-AurousEmulatorFault", "Clear-AurousEmulatorFault", "Complete-AurousEmulatorSynthesis", "Connect-Aurous", "Disconnect-Aurous", "Get-AurousCharacter", "Get-AurousContext",
                "Get-AurousEmulatorLedger", "Invoke-AurousRequest", "Invoke-AurousResynthesis", "Move-AurousEmulatorClock", "New-AurousCharacter", "Remove-AurousCharacter", "Reset-AurousEmulator",
                "Save-AurousCharacter", "Save-AurousCharacterRef", "Set-AurousCharacter", "Set-AurousEmulatorCredit", "Show-AurousCharacter", "Start-AurousEmulator", "Stop-AurousEmulator", "Wait-AurousCharacter",
            },
            _metadata.Cmdlets.Select(c => c.Name));
    }

    [Fact]
    public void Every_public_cmdlet_class_is_declared_sealed_and_named_after_its_cmdlet()
    {
        var cmdletClasses = _metadata.PublicTypes.Where(t => !t.IsAbstract && CmdletMetadata.DerivesFrom(t, "System.Management.Automation.Cmdlet")).ToList();
        Assert.NotEmpty(cmdletClasses);
        foreach (Type type in cmdletClasses)
        {
            CmdletInfo cmdlet = Assert.Single(_metadata.Cmdlets, c => c.Type == type);
            Assert.True(type.IsSealed, $"{type.Name} should be sealed");
            Assert.Equal($"{cmdlet.Verb}{cmdlet.Noun}Command", type.Name);
            Assert.Equal("Aurous.PowerShell.Commands", type.Namespace);
        }
    }

    [Fact]
    public void Every_verb_is_an_approved_PowerShell_verb()
    {
        var approved = typeof(VerbsCommon).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Get", approved);
        Assert.All(_metadata.Cmdlets, c => Assert.True(approved.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb"));
        Assert.All(_metadata.Cmdlets, c => Assert.StartsWith("Aurous", c.Noun));
    }

    [Fact]
    public void Every_state_changing_cmdlet_supports_ShouldProcess()
    {
        var changing = _metadata.Cmdlets.Where(c => !NonMutatingVerbs.Contains(c.Verb)).ToList();
        Assert.Equal(16, changing.Count);
        Assert.All(changing, c => Assert.True(c.SupportsShouldProcess, $"{c.Name} changes server state or writes files but has no -WhatIf/-Confirm"));
        Assert.All(_metadata.Cmdlets.Where(c => NonMutatingVerbs.Contains(c.Verb)), c => Assert.False(c.SupportsShouldProcess, $"{c.Name} changes nothing, so -WhatIf would mislead"));
    }

    [Fact]
    public void Credit_spending_and_destructive_cmdlets_have_a_confirm_impact_that_prompts()
    {
        Assert.All(CreditSpending, name => Assert.True(_metadata[name].ConfirmImpact >= ConfirmImpact.Medium, name));
        Assert.Equal(ConfirmImpact.High, _metadata["Remove-AurousCharacter"].ConfirmImpact);
    }

    [Fact]
    public void Get_takes_ids_by_value_and_by_property_name_with_the_CharacterId_alias()
    {
        ParameterSetInfo set = Assert.Single(_metadata["Get-AurousCharacter"].Parameter("Id").Sets);
        Assert.True(set.Mandatory);
        Assert.True(set.ValueFromPipeline);
        Assert.True(set.ValueFromPipelineByPropertyName);
        Assert.Equal(0, set.Position);
        Assert.Equal("System.String[]", _metadata["Get-AurousCharacter"].Parameter("Id").TypeName);
        Assert.Contains("CharacterId", _metadata["Get-AurousCharacter"].Parameter("Id").Aliases);
    }

    [Fact]
    public void Get_lists_by_default_with_status_name_and_paging()
    {
        CmdletInfo get = _metadata["Get-AurousCharacter"];
        Assert.Equal("List", get.DefaultParameterSetName);
        Assert.Equal(new[] { "Id", "List" }, get.SetNames);
        Assert.True(get.SupportsPaging);
        foreach (string name in new[] { "Status", "Name" })
        {
            ParameterSetInfo set = Assert.Single(get.Parameter(name).Sets);
            Assert.Equal("List", set.SetName);
            Assert.False(set.Mandatory || set.IsPositional || set.ValueFromPipeline || set.ValueFromPipelineByPropertyName, name);
            Assert.Equal("System.String[]", get.Parameter(name).TypeName);
        }

        Assert.Contains("ValidateSetAttribute", get.Parameter("Status").AttributeNames);
        Assert.Contains("SupportsWildcardsAttribute", get.Parameter("Name").AttributeNames);
    }

    [Fact]
    public void Save_ref_writes_files_and_asks_before_each_with_low_impact()
    {
        CmdletInfo save = _metadata["Save-AurousCharacterRef"];
        Assert.True(save.SupportsShouldProcess);
        Assert.Equal(ConfirmImpact.Low, save.ConfirmImpact);
        Assert.Equal(new[] { "System.IO.FileInfo" }, save.OutputTypes);
        Assert.Equal("System.String[]", save.Parameter("Pose").TypeName);
        Assert.Contains("ArgumentCompleterAttribute", save.Parameter("Pose").AttributeNames);
        Assert.DoesNotContain("ValidateSetAttribute", save.Parameter("Pose").AttributeNames);
        Assert.Equal("System.String", save.Parameter("Path").TypeName);
        Assert.Equal(1, save.Parameter("Path").Sets.Single().Position);
        Assert.Equal("System.Management.Automation.SwitchParameter", save.Parameter("Force").TypeName);
        Assert.All(new[] { "Pose", "Force" }, n => Assert.False(save.Parameter(n).Sets.Single().IsPositional, n));
    }

    [Fact]
    public void Invoke_request_takes_method_then_path_and_asks_before_changes()
    {
        CmdletInfo invoke = _metadata["Invoke-AurousRequest"];
        Assert.True(invoke.SupportsShouldProcess);
        Assert.Equal(ConfirmImpact.Medium, invoke.ConfirmImpact);
        ParameterSetInfo method = invoke.Parameter("Method").Sets.Single();
        ParameterSetInfo path = invoke.Parameter("Path").Sets.Single();
        Assert.True(method.Mandatory && path.Mandatory);
        Assert.Equal((0, 1, 2), (method.Position, path.Position, invoke.Parameter("Body").Sets.Single().Position));
        Assert.Contains("ValidateSetAttribute", invoke.Parameter("Method").AttributeNames);
        Assert.True(invoke.Parameter("IdempotencyKey").Sets.Single().ValueFromPipelineByPropertyName);
        Assert.Equal("System.Object", invoke.Parameter("Body").TypeName);
        Assert.DoesNotContain("ValidateAurousAttribute", invoke.Parameter("IdempotencyKey").AttributeNames);
        Assert.Equal(new[] { "System.Management.Automation.PSObject" }, invoke.OutputTypes);
    }

    [Theory]
    [InlineData("Save-AurousCharacterRef")]
    [InlineData("Save-AurousCharacter")]
    [InlineData("Remove-AurousCharacter")]
    [InlineData("Invoke-AurousResynthesis")]
    [InlineData("Wait-AurousCharacter")]
    [InlineData("Complete-AurousEmulatorSynthesis")]
    [InlineData("Show-AurousCharacter")]
    public void Per_character_cmdlets_take_ids_or_piped_characters(string name)
    {
        CmdletInfo cmdlet = _metadata[name];
        ParameterInfo id = cmdlet.Parameter("Id");
        Assert.Contains("CharacterId", id.Aliases);
        Assert.All(id.Sets, s => Assert.True(s.Mandatory && s.ValueFromPipeline && s.ValueFromPipelineByPropertyName && s.Position == 0));

        ParameterInfo input = cmdlet.Parameter("InputObject");
        Assert.Equal(CharacterType + "[]", input.TypeName);
        Assert.All(input.Sets, s => Assert.True(s.Mandatory && s.ValueFromPipeline && !s.IsPositional));
        Assert.Empty(id.Sets.Select(s => s.SetName).Intersect(input.Sets.Select(s => s.SetName)));
        Assert.Contains("ArgumentCompleterAttribute", id.AttributeNames);
    }

    [Fact]
    public void Show_keeps_the_page_the_terminal_and_the_review_in_separate_sets()
    {
        CmdletInfo show = _metadata["Show-AurousCharacter"];
        Assert.Equal("InputObject", show.DefaultParameterSetName);

        // -Review spends credits (regenerate, resynthesize), with keys the client generates per call.
        Assert.True(show.SupportsShouldProcess && show.ConfirmImpact == ConfirmImpact.Medium);
        Assert.Equal(new[] { "Id", "InputObject" }, show.Parameter("Path").Sets.Select(s => s.SetName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(show.Parameter("Path").Sets.Select(s => s.SetName), show.Parameter("PassThru").Sets.Select(s => s.SetName));
        Assert.All(show.Parameter("Review").Sets, s => Assert.True(s.Mandatory));
        Assert.Empty(show.Parameter("Review").Sets.Select(s => s.SetName).Intersect(show.Parameter("Path").Sets.Select(s => s.SetName)));
        Assert.Equal(4, show.Parameter("InTerminal").Sets.Count);
        Assert.Equal(new[] { "Aurous.Client.Character", "System.IO.FileInfo" }, show.OutputTypes.OrderBy(t => t, StringComparer.Ordinal));
    }

    [Fact]
    public void Set_binds_piped_characters_by_id_and_separates_replace_from_merge()
    {
        CmdletInfo set = _metadata["Set-AurousCharacter"];
        Assert.True(set.Parameter("Id").Sets.Single().ValueFromPipelineByPropertyName);
        Assert.False(set.Parameter("Name").Sets.Single().ValueFromPipelineByPropertyName);
        Assert.Equal(new[] { "Attributes", "Fields" }, set.SetNames);
        Assert.Equal("Fields", set.DefaultParameterSetName);
        Assert.Equal(new[] { "Attributes" }, set.Parameter("Attributes").Sets.Select(s => s.SetName));
        foreach (string field in new[] { "Gender", "Age", "Ethnicity", "HairColor", "HairStyle", "EyeColor", "BodyType", "AdditionalDetails" })
        {
            Assert.Equal(new[] { "Fields" }, set.Parameter(field).Sets.Select(s => s.SetName));
        }
    }

    [Fact]
    public void Invoke_resynthesis_keeps_pose_options_and_force_in_separate_sets()
    {
        CmdletInfo invoke = _metadata["Invoke-AurousResynthesis"];
        var poseSets = invoke.Parameter("Pose").Sets.Select(s => s.SetName).ToHashSet();
        Assert.All(invoke.Parameter("Pose").Sets, s => Assert.True(s.Mandatory));
        Assert.True(poseSets.SetEquals(invoke.Parameter("PromptOverride").Sets.Select(s => s.SetName)));
        Assert.Empty(poseSets.Intersect(invoke.Parameter("Force").Sets.Select(s => s.SetName)));
        Assert.Equal(ParameterSetInfo.AllSets, invoke.Parameter("IdempotencyKey").Sets.Single().SetName);
    }

    [Fact]
    public void No_cmdlet_has_ambiguous_parameter_sets()
    {
        foreach (CmdletInfo cmdlet in _metadata.Cmdlets)
        {
            IReadOnlyList<string> sets = cmdlet.SetNames;
            if (sets.Count > 1)
            {
                Assert.True(cmdlet.DefaultParameterSetName != null && sets.Contains(cmdlet.DefaultParameterSetName), $"{cmdlet.Name}: default set '{cmdlet.DefaultParameterSetName}' is not one of {string.Join(", ", sets)}");
            }

            var signatures = new Dictionary<string, string>();
            foreach (string set in sets)
            {
                var members = cmdlet.InSet(set);
                string signature = string.Join(",", members.Select(m => m.Parameter.Name).OrderBy(n => n, StringComparer.Ordinal));
                Assert.False(signatures.ContainsKey(signature), $"{cmdlet.Name}: sets {set} and {signatures.GetValueOrDefault(signature)} have the same parameters, so no argument can choose between them");
                signatures[signature] = set;

                var positions = members.Where(m => m.Set.IsPositional).GroupBy(m => m.Set.Position).Where(g => g.Count() > 1);
                Assert.False(positions.Any(), $"{cmdlet.Name} set {set}: two parameters share a position");
                Assert.True(members.Count(m => m.Set.ValueFromPipeline) <= 1, $"{cmdlet.Name} set {set}: more than one parameter takes pipeline input by value");

                if (set != cmdlet.DefaultParameterSetName && sets.Count > 1)
                {
                    var defaultMembers = cmdlet.InSet(cmdlet.DefaultParameterSetName!).Select(m => m.Parameter.Name).ToHashSet();
                    Assert.True(members.Any(m => !defaultMembers.Contains(m.Parameter.Name)), $"{cmdlet.Name}: set {set} has no parameter that selects it over the default set");
                }
            }

            var names = cmdlet.Parameters.SelectMany(p => p.Aliases.Append(p.Name)).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void Every_cmdlet_that_emits_objects_declares_its_output_type()
    {
        foreach (string name in new[] { "Get-AurousCharacter", "New-AurousCharacter", "Set-AurousCharacter", "Save-AurousCharacter", "Invoke-AurousResynthesis", "Wait-AurousCharacter", "Complete-AurousEmulatorSynthesis" })
        {
            Assert.Equal(new[] { CharacterType }, _metadata[name].OutputTypes);
        }

        Assert.Equal(new[] { "Aurous.PowerShell.AurousContext" }, _metadata["Get-AurousContext"].OutputTypes);
        Assert.Equal(new[] { "Aurous.PowerShell.AurousContext" }, _metadata["Connect-Aurous"].OutputTypes);
        Assert.Equal(new[] { "Aurous.Client.AurousEmulator" }, _metadata["Start-AurousEmulator"].OutputTypes);
        Assert.Equal(new[] { "Aurous.Client.AurousEmulatorLedger" }, _metadata["Get-AurousEmulatorLedger"].OutputTypes);
        Assert.Equal(new[] { "Aurous.Client.AurousEmulatorClock" }, _metadata["Move-AurousEmulatorClock"].OutputTypes);
    }

    [Fact]
    public void Emulator_commands_take_the_emulator_from_the_pipeline_and_ask_at_low_impact()
    {
        foreach (string name in EmulatorCmdlets)
        {
            ParameterSetInfo emulator = Assert.Single(_metadata[name].Parameter("Emulator").Sets);
            Assert.Equal("Aurous.Client.AurousEmulator", _metadata[name].Parameter("Emulator").TypeName);
            Assert.True(emulator.ValueFromPipeline && !emulator.Mandatory && !emulator.IsPositional, name);
        }

        // Complete takes characters from the pipeline, so the emulator is named.
        ParameterSetInfo named = _metadata["Complete-AurousEmulatorSynthesis"].Parameter("Emulator").Sets.Single();
        Assert.False(named.ValueFromPipeline || named.Mandatory);
        Assert.All(_metadata.Cmdlets.Where(c => c.Noun.StartsWith("AurousEmulator", StringComparison.Ordinal) && c.SupportsShouldProcess), c => Assert.Equal(ConfirmImpact.Low, c.ConfirmImpact));
    }

    [Fact]
    public void Start_hands_out_a_named_team_or_a_new_one_and_takes_the_emulators_options()
    {
        CmdletInfo start = _metadata["Start-AurousEmulator"];
        Assert.Equal(new[] { "NewTeam", "Team" }, start.SetNames.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("Team", start.DefaultParameterSetName);
        Assert.True(start.Parameter("NewTeam").Sets.Single().Mandatory);
        foreach (string name in new[] { "Path", "SynthesisSeconds", "FailureRate", "Seed", "Credits", "RateLimitMultiplier", "DataPath", "NoConnect" })
        {
            Assert.Equal(ParameterSetInfo.AllSets, start.Parameter(name).Sets.Single().SetName);
        }
    }

    [Fact]
    public void Values_a_pipeline_row_can_bring_are_judged_while_processing_not_at_binding()
    {
        // A refusal at binding reaches scripts as ParameterArgumentValidationError, not the documented ErrorId, and
        // does not name the row; the cmdlets check these values themselves (Pester: UnattendedJobs.Tests.ps1).
        foreach (string name in CreditSpending)
        {
            Assert.DoesNotContain("ValidateAurousAttribute", _metadata[name].Parameter("IdempotencyKey").AttributeNames);
        }

        foreach (string name in new[] { "New-AurousCharacter", "Set-AurousCharacter" })
        {
            Assert.Equal("System.Object", _metadata[name].Parameter("Age").TypeName);
            Assert.DoesNotContain(_metadata[name].Parameter("Age").AttributeNames, a => a.StartsWith("Validate", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(_metadata["New-AurousCharacter"].Parameter("Name").AttributeNames, a => a.StartsWith("Validate", StringComparison.Ordinal));
        Assert.DoesNotContain("ValidateSetAttribute", _metadata["Invoke-AurousResynthesis"].Parameter("Pose").AttributeNames);
        Assert.Contains("ArgumentCompleterAttribute", _metadata["Invoke-AurousResynthesis"].Parameter("Pose").AttributeNames);
    }

    [Fact]
    public void The_context_exposes_no_key_property()
    {
        Type context = _metadata.PublicTypes.Single(t => t.FullName == "Aurous.PowerShell.AurousContext");
        var properties = context.GetProperties().Select(p => p.Name).ToList();
        Assert.Contains("ApiKeyHint", properties);
        Assert.DoesNotContain(properties, p => p.Equals("ApiKey", StringComparison.OrdinalIgnoreCase) || p.Contains("Secret", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(properties, p => p.Equals("ProxyCredential", StringComparison.Ordinal));
    }

    [Fact]
    public void Per_character_cmdlet_list_matches_the_cmdlets_with_InputObject()
    {
        var withInputObject = _metadata.Cmdlets.Where(c => c.Parameters.Any(p => p.Name == "InputObject")).Select(c => c.Name).OrderBy(n => n);
        Assert.Equal(PerCharacterCmdlets.OrderBy(n => n), withInputObject);
    }
}
