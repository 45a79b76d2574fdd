namespace Aurous.Client.Tests;

/// <summary>Issue 9: per-field changes read, merge and write the whole attribute object, and never lose one another.</summary>
public class FieldUpdateTests
{
    private static readonly (string Field, CharacterAttributes Change)[] EightFields =
    {
        ("gender", new CharacterAttributes { Gender = "male" }),
        ("age", new CharacterAttributes { Age = 40 }),
        ("ethnicity", new CharacterAttributes { Ethnicity = "nordic" }),
        ("hair_color", new CharacterAttributes { HairColor = "silver" }),
        ("hair_style", new CharacterAttributes { HairStyle = "braids" }),
        ("eye_color", new CharacterAttributes { EyeColor = "green" }),
        ("body_type", new CharacterAttributes { BodyType = "tall" }),
        ("additional_details", new CharacterAttributes { AdditionalDetails = "scar" }),
    };

    [Fact]
    public async Task Eight_concurrent_per_field_changes_to_one_character_all_survive()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var creator = emulator.Client();
        var created = await creator.CreateCharacterAsync(new CharacterCreate { Name = "Contested" });

        // A slow read widens the read-merge-write window, as a loaded server would.
        await emulator.FaultAsync("get", "delay", rate: 1, delayMs: 100);
        var changes = EightFields.Select(f => Task.Run(async () =>
        {
            using var client = emulator.Client();
            return await client.UpdateCharacterFieldsAsync(created.Id, null, f.Change);
        }));
        await Task.WhenAll(changes);
        await emulator.ClearFaultsAsync();

        var stored = (await creator.GetCharacterAsync(created.Id)).Attributes!;
        Assert.Equal(
            new object?[] { "male", 40, "nordic", "silver", "braids", "green", "tall", "scar" },
            new object?[] { stored.Gender, stored.Age, stored.Ethnicity, stored.HairColor, stored.HairStyle, stored.EyeColor, stored.BodyType, stored.AdditionalDetails });
    }

    [Fact]
    public async Task Nothing_to_change_is_refused_before_any_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var error = await Assert.ThrowsAsync<AurousValidationException>(() => client.UpdateCharacterFieldsAsync("char_1", null, new CharacterAttributes()));

        Assert.Equal(AurousErrors.EmptyUpdate, error.ErrorId);
        Assert.Empty(emulator.Log);
    }
}
