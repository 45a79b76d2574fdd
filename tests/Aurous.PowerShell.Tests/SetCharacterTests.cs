using System.Management.Automation;
using System.Text.Json;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>Set-AurousCharacter: per-field merge against whole-object replace, and bad input refused before any request.</summary>
public sealed class SetCharacterTests : IClassFixture<ModuleFixture>
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _session;

    public SetCharacterTests(ModuleFixture fixture)
    {
        _emulator = fixture.Emulator;
        _session = fixture.Session;
    }

    [Fact]
    public async Task Per_field_parameters_change_only_those_fields()
    {
        string id = await _emulator.CreateReviewingAsync("Merged");

        PsResult result = _session.Invoke("Set-AurousCharacter -Id $args[0] -HairColor red -Age 31 -PassThru", id);

        result.AssertSucceeded();
        JsonElement attributes = (await _emulator.ReadAsync(id)).GetProperty("attributes");
        Assert.Equal("red", attributes.GetProperty("hair_color").GetString());
        Assert.Equal(31, attributes.GetProperty("age").GetInt32());
        Assert.Equal("female", attributes.GetProperty("gender").GetString());
        Assert.Equal("brown", attributes.GetProperty("eye_color").GetString());
        Assert.Equal("red", result.Output.Single().Get<PSObject>("Attributes").Get<string>("HairColor"));
    }

    [Fact]
    public async Task Attributes_replaces_the_whole_object_as_the_API_does()
    {
        string id = await _emulator.CreateReviewingAsync("Replaced");

        PsResult result = _session.Invoke("Get-AurousCharacter -Id $args[0] | Set-AurousCharacter -Name 'Renamed' -Attributes @{ hair_color = 'blue' }", id);

        result.AssertSucceeded();
        Assert.Empty(result.Output);
        JsonElement character = await _emulator.ReadAsync(id);
        Assert.Equal("Renamed", character.GetProperty("name").GetString());
        JsonElement attributes = character.GetProperty("attributes");
        Assert.Equal("blue", attributes.GetProperty("hair_color").GetString());
        Assert.False(attributes.TryGetProperty("gender", out JsonElement gender) && gender.ValueKind != JsonValueKind.Null, "replace drops the fields not sent");
    }

    [Fact]
    public async Task A_piped_character_with_only_Name_renames_it_and_keeps_the_attributes()
    {
        string id = await _emulator.CreateReviewingAsync("Before");

        PsResult result = _session.Invoke("Get-AurousCharacter -Id $args[0] | Set-AurousCharacter -Name 'After' -PassThru", id);

        result.AssertSucceeded();
        JsonElement character = await _emulator.ReadAsync(id);
        Assert.Equal("After", character.GetProperty("name").GetString());
        Assert.Equal("black", character.GetProperty("attributes").GetProperty("hair_color").GetString());
        Assert.Equal("After", result.Output.Single().Get<string>("Name"));
    }

    [Fact]
    public async Task WhatIf_changes_nothing_and_only_the_replace_set_says_the_object_is_replaced()
    {
        string id = await _emulator.CreateReviewingAsync("Hypothetical");
        string before = Stored(await _emulator.ReadAsync(id));
        _session.Host.Clear();

        _session.Invoke("Set-AurousCharacter -Id $args[0] -HairColor red -WhatIf", id).AssertSucceeded();
        _session.Invoke("Set-AurousCharacter -Id $args[0] -Attributes @{ hair_color = 'red' } -WhatIf", id).AssertSucceeded();

        Assert.Equal(before, Stored(await _emulator.ReadAsync(id)));
        var whatIf = _session.Host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, whatIf.Count);
        Assert.DoesNotContain("replaces the whole object", whatIf[0]);
        Assert.Contains("hair_color (other attributes kept)", whatIf[0]);
        Assert.Contains("replaces the whole object", whatIf[1]);
        Assert.All(whatIf, l => Assert.Contains(id, l));
    }

    [Theory]
    [InlineData("Set-AurousCharacter -Id $args[0] -Name ('x' * 81)", "ParameterArgumentValidationError")]
    [InlineData("Set-AurousCharacter -Id $args[0] -Name ''", "ParameterArgumentValidationError")]
    [InlineData("Set-AurousCharacter -Id $args[0] -Attributes @{ hair_colour = 'red'; eye = 'blue' }", "ParameterArgumentTransformationError")]
    [InlineData("Set-AurousCharacter -Id $args[0] -Attributes @{ hair_color = 'red' } -EyeColor blue", "AmbiguousParameterSet")]
    [InlineData("Set-AurousCharacter -Id $args[0]", "EmptyUpdate")]
    public async Task Bad_input_is_refused_before_any_request(string script, string errorId)
    {
        string id = await _emulator.CreateReviewingAsync("Untouched");
        string before = Stored(await _emulator.ReadAsync(id));

        PsResult result = _session.Invoke(script, id);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(errorId, error.ErrorId());
        Assert.Equal(before, Stored(await _emulator.ReadAsync(id)));
    }

    // What a PATCH could change; ref URLs are left out because their signed tokens differ on every read.
    private static string Stored(JsonElement character) => string.Join(
        "|",
        character.GetProperty("name").GetRawText(),
        character.GetProperty("status").GetRawText(),
        character.GetProperty("updated_at").GetRawText(),
        character.GetProperty("attributes").GetRawText());

    [Fact]
    public async Task An_unknown_attribute_key_is_named_in_the_error()
    {
        string id = await _emulator.CreateReviewingAsync("Named");

        PsResult result = _session.Invoke("Set-AurousCharacter -Id $args[0] -Attributes @{ hair_colour = 'red' }", id);

        Assert.Contains("hair_colour", Assert.Single(result.Errors).ToString());
    }
}
