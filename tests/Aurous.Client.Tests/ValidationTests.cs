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

    // Built at run time: an attribute argument is stored as UTF-8, which turns a lone surrogate into U+FFFD.
    [Theory]
    [InlineData("a", 0xD800, "b", 2)]
    [InlineData("ab", 0xDC00, "", 3)]
    [InlineData("", 0xD83D, "", 1)]
    public void Text_with_half_a_character_is_refused_naming_where(string before, int surrogate, string after, int position)
    {
        var text = before + (char)surrogate + after;
        var name = Assert.Throws<AurousValidationException>(() => AurousValidation.Name(text));
        var attribute = Assert.Throws<AurousValidationException>(() => AurousValidation.AttributeText("hair_color", text));

        Assert.Equal(AurousErrors.InvalidCharacterName, name.ErrorId);
        Assert.Equal(AurousErrors.InvalidAttributeValue, attribute.ErrorId);
        Assert.Contains($"half a character at position {position}", name.Message);
        Assert.StartsWith("hair_color has half a character", attribute.Message);
    }

    [Fact]
    public void Whole_characters_outside_the_basic_plane_pass()
    {
        Assert.Equal("Aurora \ud83c\udf1f", AurousValidation.Name("Aurora \ud83c\udf1f"));
        Assert.Equal("\ud83d\udc9c", AurousValidation.AttributeText("hair_color", "\ud83d\udc9c"));
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

    [Theory]
    [InlineData("٢٠٢٦-٠٥-١٥", "'٢٠٢٦-٠٥-١٥'")]
    [InlineData("2026-05-15\n", "'2026-05-15\\n'")]
    [InlineData("2026-02-30", "'2026-02-30'")]
    [InlineData("May 2026", "'May 2026'")]
    public void Api_versions_are_real_dates_in_ascii_digits(string version, string shown)
    {
        var error = Assert.Throws<AurousValidationException>(() => AurousValidation.ApiVersion(version));

        Assert.Equal($"The API version must be a real date written YYYY-MM-DD in ASCII digits, such as 2026-05-15; got {shown}.", error.Message);
        Assert.Equal("2026-05-15", AurousValidation.ApiVersion("2026-05-15"));
    }

    [Theory]
    [InlineData("ftp://proxy.corp:21", "The proxy scheme 'ftp' is not supported here")]
    [InlineData("http://bob:hunter2@proxy.corp:3128", "The proxy URI must not carry a user name or password")]
    public void Proxies_are_checked_for_their_scheme_and_refused_with_credentials_inside(string proxy, string start)
    {
        var error = Assert.Throws<AurousValidationException>(() => AurousValidation.Proxy(new Uri(proxy)));

        Assert.StartsWith(start, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.Equal(new Uri("socks5://proxy.corp:1080"), AurousValidation.Proxy(new Uri("socks5://proxy.corp:1080")));
    }

    [Fact]
    public void One_idempotency_key_is_for_one_character()
    {
        Assert.Null(AurousValidation.OneCallPerIdempotencyKey(new[] { "char_a (Aurora)" }));

        var error = AurousValidation.OneCallPerIdempotencyKey(new[] { "char_a (Aurora)", "char_b", "char_c", "char_d" })!;

        Assert.Equal((AurousErrors.IdempotencyKeyReused, AurousErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.StartsWith("One idempotency key was given for 4 characters (char_a (Aurora), char_b, char_c and 1 more)", error.Message);
        Assert.Contains("Nothing was sent.", error.Message);
    }
}
