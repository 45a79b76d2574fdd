namespace Aurous.Client.Tests;

/// <summary>Issue 9: every error says which character, which server, and what to do next, in whole sentences.</summary>
public class ErrorMessageTests
{
    [Fact]
    public async Task Errors_from_the_server_name_the_character_the_server_and_the_next_step()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SynthesisSeconds = 600);
        using var client = emulator.Client();
        var server = emulator.Server.BaseUri.GetLeftPart(UriPartial.Authority);
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Aurora" });
        await emulator.SetCreditsAsync(3);

        var missing = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_bad"));
        var unsaved = await Assert.ThrowsAsync<AurousApiException>(() => client.SaveCharacterAsync(created.Id));
        await emulator.FinishAsync(created.Id, "reviewing");
        var unpaid = await Assert.ThrowsAsync<AurousApiException>(() => client.ResynthesizeCharacterAsync(created.Id));
        var uncreated = await Assert.ThrowsAsync<AurousApiException>(() => client.CreateCharacterAsync(new CharacterCreate { Name = "Borealis" }));

        Assert.StartsWith($"Character char_bad: No such character (HTTP 404 resource_not_found, param character_id, from {server}, request id req_", missing.Message);
        Assert.EndsWith("). Check the id: the character may have been deleted, belong to another team (another API key), or be mistyped.", missing.Message);
        Assert.StartsWith($"Character {created.Id}: ", unsaved.Message);
        Assert.EndsWith("Read the character to see its status: this call is not allowed in the state it is in.", unsaved.Message);
        Assert.StartsWith($"Character {created.Id}: This call costs 4 credits and the team has 3 (HTTP 402", unpaid.Message);
        Assert.Contains("). Add credits to the team, then run the command again. This call charged nothing (idempotency key '", unpaid.Message);
        Assert.StartsWith("New character 'Borealis': This call costs 4 credits", uncreated.Message);
        Assert.Equal(("char_bad", (string?)null), (missing.CharacterId, missing.CharacterName));
        Assert.Equal("No such character", missing.Reason);
        Assert.All(new[] { missing, unsaved, unpaid, uncreated }, e => Assert.DoesNotContain("..", e.Message));
    }

    [Fact]
    public void A_name_given_later_joins_the_subject()
    {
        var error = new AurousException("No such character.", AurousErrors.CharacterNotFound, AurousErrorCategory.ObjectNotFound, characterId: "char_1");

        Assert.Equal("Character char_1: No such character.", error.Message);
        error.CharacterName = "Aurora";
        Assert.Equal("Character char_1 (Aurora): No such character.", error.Message);
        Assert.Equal("No such character.", error.Detail);
    }

    [Theory]
    [InlineData(new[] { "Synthesis failed: GPU on fire (emulated failure).", "Run it again" }, "Synthesis failed: GPU on fire (emulated failure). Run it again.")]
    [InlineData(new[] { "Done!", " ", "Next?" }, "Done! Next?")]
    public void Sentences_end_with_one_stop_each(string[] parts, string expected)
    {
        Assert.Equal(expected, AurousMessages.Sentences(parts));
    }

    [Theory]
    [InlineData("2026-05-15\n", "'2026-05-15\\n'")]
    [InlineData("tab\there", "'tab\\there'")]
    [InlineData(null, "nothing")]
    public void Quoted_input_shows_invisible_characters(string? value, string expected)
    {
        Assert.Equal(expected, AurousMessages.Quote(value));
    }

    [Fact]
    public void The_production_default_says_it_is_the_default()
    {
        Assert.Equal("https://api.aurous-labs.com (the production API, used when no base URI is set)", AurousMessages.ConfiguredServer(AurousClientOptions.DefaultBaseUri));
        Assert.Equal("http://127.0.0.1:5080/prefix", AurousMessages.ConfiguredServer(new Uri("http://127.0.0.1:5080/prefix/")));
    }
}
