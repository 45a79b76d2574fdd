namespace Aurous.Client.Tests;

public class ValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("char_1/../../admin")]
    [InlineData("char 1")]
    [InlineData("char_1?x=1")]
    [InlineData("..")]
    public void Bad_ids_are_refused_before_any_request(string id)
    {
        var error = Assert.Throws<AurousValidationException>(() => AurousValidation.CharacterId(id));
        Assert.Equal(AurousErrors.InvalidCharacterId, error.ErrorId);
        Assert.Equal("Id", error.ParameterName);
    }

    [Fact]
    public void Ids_of_the_documented_form_pass()
    {
        Assert.Equal("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR", AurousValidation.CharacterId("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(81)]
    public void Names_outside_1_to_80_characters_are_refused(int length)
    {
        var error = Assert.Throws<AurousValidationException>(() => AurousValidation.Name(new string('a', length)));
        Assert.Equal(AurousErrors.InvalidCharacterName, error.ErrorId);
    }

    [Fact]
    public void Names_of_1_and_80_characters_pass()
    {
        AurousValidation.Name("a");
        AurousValidation.Name(new string('a', 80));
    }

    [Fact]
    public void Unknown_pose_is_refused()
    {
        Assert.Equal(AurousErrors.InvalidPose, Assert.Throws<AurousValidationException>(() => AurousValidation.Pose(CharacterPose.Unknown)).ErrorId);
        Assert.Equal(AurousErrors.InvalidPose, Assert.Throws<AurousValidationException>(() => AurousValidation.Pose((CharacterPose)42)).ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("new\nline")]
    [InlineData("é")]
    public void Idempotency_keys_must_be_1_to_256_printable_ascii(string key)
    {
        Assert.Equal(AurousErrors.InvalidIdempotencyKey, Assert.Throws<AurousValidationException>(() => AurousValidation.IdempotencyKey(key)).ErrorId);
        Assert.Throws<AurousValidationException>(() => AurousValidation.IdempotencyKey(new string('k', 257)));
        AurousValidation.IdempotencyKey(new string('k', 256));
    }
}
