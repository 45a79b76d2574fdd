using Aurous.Client.Http;

namespace Aurous.Client.Tests;

public class OperationsTests
{
    [Fact]
    public void ShouldProcess_texts_name_the_work_and_the_credits()
    {
        Assert.Equal("Resynthesize all 4 poses (4 credits)", AurousOperations.Resynthesize(false));
        Assert.StartsWith("Resynthesize all 4 poses (4 credits)", AurousOperations.Resynthesize(true));
        Assert.Equal("Regenerate the Front pose (1 credit)", AurousOperations.RegenerateRef(CharacterPose.Front));
        Assert.Equal("Regenerate the Side, Front and Back poses, one after another (3 credits)", AurousOperations.RegenerateRefs(new[] { CharacterPose.Side, CharacterPose.Front, CharacterPose.Back }));
        Assert.Equal("Create character 'Aurora' (4 credits)", AurousOperations.Create("Aurora"));
        Assert.Equal("Create character 'Aurora' with age, hair_color (4 credits)", AurousOperations.Create("Aurora", new CharacterAttributes { HairColor = "black", Age = 28 }));
        Assert.Equal("char_01 (Aurora)", AurousOperations.Target("char_01", "Aurora"));
        Assert.Equal("char_01", AurousOperations.Target("char_01", null));
        Assert.Contains("no credits", AurousOperations.Save());
        Assert.Contains("name to 'Bold'", AurousOperations.Update(new CharacterUpdate { Name = "Bold" }));
        Assert.Contains("replaces the whole object", AurousOperations.Update(new CharacterUpdate { Attributes = new CharacterAttributes() }));
        Assert.Equal(
            "Update name to 'Bold' and hair_color, eye_color (other attributes kept) (no credits)",
            AurousOperations.UpdateFields("Bold", new CharacterAttributes { HairColor = "red", EyeColor = "blue" }));
        Assert.NotEmpty(AurousOperations.Delete());
        Assert.Equal(4, AurousOperations.CreditCosts.Resynthesize);
    }

    [Fact]
    public void Teams_are_keyed_by_a_hash_never_the_key()
    {
        var scope = RateLimiterRegistry.Scope(new Uri("https://api.aurous-labs.com/"), "al_live_secret_value_1234");

        Assert.DoesNotContain("secret", scope);
        Assert.NotEqual(scope, RateLimiterRegistry.Scope(new Uri("https://api.aurous-labs.com/"), "al_live_secret_value_1235"));
    }
}
