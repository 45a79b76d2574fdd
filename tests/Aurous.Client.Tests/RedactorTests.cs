namespace Aurous.Client.Tests;

public class RedactorTests
{
    [Theory]
    [InlineData("GET https://api.aurous-labs.com/storage/x/front.bin?token=abc.def123 ok", "GET https://api.aurous-labs.com/storage/x/front.bin?token=*** ok")]
    [InlineData("{\"url\":\"http://h/storage/c/front-1.png?token=1700000000.AbC_-9\"}", "{\"url\":\"http://h/storage/c/front-1.png?token=***\"}")]
    [InlineData("a?x=1&token=secret&y=2", "a?x=1&token=***&y=2")]
    [InlineData("escaped \\u0026token\\u003dsecret\"", "escaped \\u0026token\\u003d***\"")]
    [InlineData("key al_live_emulator_team_a used", "key al_*** used")]
    [InlineData("nothing secret here", "nothing secret here")]
    [InlineData("AUROUS_BASE_URL='http://bob:pw@127.0.0.1:5080/'", "AUROUS_BASE_URL='http://***@127.0.0.1:5080/'")]
    [InlineData("proxy socks5://svc@proxy:1080 failed", "proxy socks5://***@proxy:1080 failed")]
    public void Removes_ref_url_tokens_api_keys_and_user_info(string text, string expected)
    {
        Assert.Equal(expected, AurousRedactor.Redact(text));
    }

    [Fact]
    public void Removes_a_known_secret_that_does_not_look_like_a_key()
    {
        var redacted = AurousRedactor.Redact("header was sk-7f3b9a2c1d and again sk-7f3b9a2c1d", "sk-7f3b9a2c1d");

        Assert.DoesNotContain("sk-7f3b9a2c1d", redacted);
        Assert.Equal("header was *** and again ***", redacted);
    }

    [Fact]
    public void A_ref_prints_without_its_token()
    {
        var reference = new CharacterRef { Pose = "Front", Url = "https://h/storage/front.bin?token=abc" };

        Assert.Equal("Front: https://h/storage/front.bin?token=***", reference.ToString());
    }
}
