using System.Text.Json;

namespace Aurous.Client.Tests;

public class OptionsTests
{
    private static AurousClientOptions Valid() => new() { ApiKey = "al_live_0123456789abcdefWXYZ" };

    [Fact]
    public void Defaults_are_the_documented_production_values()
    {
        var options = Valid();
        options.Validate();

        Assert.Equal(new Uri("https://api.aurous-labs.com/"), options.BaseUri);
        Assert.Equal(240, options.RateLimits.CharactersGet.Burst);
        Assert.Equal(120, options.RateLimits.CharactersGet.PerMinute);
        Assert.Equal(60, options.RateLimits.CharactersPost.Burst);
        Assert.Equal(30, options.RateLimits.CharactersPost.PerMinute);
        Assert.Equal(12, options.RateLimits.CharactersSynthesize.Burst);
        Assert.Equal(6, options.RateLimits.CharactersSynthesize.PerMinute);
    }

    [Theory]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("https://api.example.com/")]
    public void Https_anywhere_and_plain_http_to_loopback_are_accepted(string uri)
    {
        var options = Valid();
        options.BaseUri = new Uri(uri);

        options.Validate();
    }

    [Theory]
    [InlineData("http://api.aurous-labs.com/")]
    [InlineData("http://10.0.0.5:8080/")]
    public void Plain_http_to_another_host_is_refused(string uri)
    {
        var options = Valid();
        options.BaseUri = new Uri(uri);

        var error = Assert.Throws<AurousConfigurationException>(options.Validate);
        Assert.Equal(AurousErrors.InsecureBaseUri, error.ErrorId);
    }

    [Theory]
    [InlineData(null, "MissingApiKey")]
    [InlineData("  ", "MissingApiKey")]
    [InlineData("al_live_with space", "InvalidConfiguration")]
    [InlineData("al_live_line\nbreak", "InvalidConfiguration")]
    public void A_missing_or_malformed_key_is_a_configuration_error(string? key, string errorId)
    {
        var options = new AurousClientOptions { ApiKey = key };

        var error = Assert.Throws<AurousConfigurationException>(options.Validate);
        Assert.Equal(errorId, error.ErrorId);
        if (!string.IsNullOrWhiteSpace(key))
        {
            Assert.DoesNotContain(key.Trim(), error.Message);
        }
    }

    [Fact]
    public void Other_bad_settings_are_configuration_errors()
    {
        Assert.Throws<AurousConfigurationException>(() => With(o => o.ApiVersion = "May 2026").Validate());
        Assert.Throws<AurousConfigurationException>(() => With(o => o.RequestTimeout = TimeSpan.Zero).Validate());
        Assert.Throws<AurousConfigurationException>(() => With(o => o.Retry = new AurousRetryPolicy { MaxAttempts = 0 }).Validate());
        Assert.Throws<AurousConfigurationException>(() => With(o => o.RateLimits.CharactersGet = new AurousBucketLimit(0, 120)).Validate());
        Assert.Throws<AurousConfigurationException>(() => With(o => o.BaseUri = new Uri("ftp://h/")).Validate());
        Assert.Throws<AurousConfigurationException>(() => With(o => o.BaseUri = new Uri("https://user:secret@h/")).Validate());
        Assert.Throws<AurousConfigurationException>(() => new AurousClient(new AurousClientOptions()));
    }

    [Theory]
    [InlineData("al_live_0123456789abcdefWXYZ", "al_live_***WXYZ")]
    [InlineData("al_live_short", "al_live_***")]
    [InlineData("sk-0123456789abcdefghij", "***ghij")]
    [InlineData("tiny", "***")]
    [InlineData(null, "(none)")]
    public void The_key_is_masked_to_its_prefix_and_at_most_the_last_four_of_a_long_key(string? key, string masked)
    {
        Assert.Equal(masked, AurousClientOptions.MaskApiKey(key));
    }

    [Fact]
    public void ToString_and_serialisation_never_show_the_key()
    {
        const string key = "al_live_canary_5b9f3c2a77e14d0c";
        var options = With(o => o.ApiKey = key);

        Assert.DoesNotContain(key, options.ToString());
        Assert.Contains("al_live_***4d0c", options.ToString());
        Assert.DoesNotContain(key, JsonSerializer.Serialize(options, new JsonSerializerOptions { IncludeFields = true }));
    }

    private static AurousClientOptions With(Action<AurousClientOptions> change)
    {
        var options = Valid();
        change(options);
        return options;
    }

    [Fact]
    public void A_proxy_with_a_bad_scheme_or_credentials_inside_and_a_base_uri_with_a_query_are_refused()
    {
        var ftp = Assert.Throws<AurousConfigurationException>(() => With(o => o.Proxy = new System.Net.WebProxy(new Uri("ftp://proxy.corp:21"))).Validate());
        var userInfo = Assert.Throws<AurousConfigurationException>(() => With(o => o.Proxy = new System.Net.WebProxy(new Uri("http://bob:hunter2@proxy.corp:3128"))).Validate());
        var query = Assert.Throws<AurousConfigurationException>(() => With(o => o.BaseUri = new Uri("https://gw.example.com/aurous?x=1")).Validate());
        var version = Assert.Throws<AurousConfigurationException>(() => With(o => o.ApiVersion = "2026-05-15\n").Validate());

        Assert.All(new[] { ftp, userInfo, query, version }, e => Assert.Equal(AurousErrors.InvalidConfiguration, e.ErrorId));
        Assert.DoesNotContain("hunter2", userInfo.Message);
        Assert.Contains("-ProxyCredential", userInfo.Message);
        Assert.Contains("'2026-05-15\\n'", version.Message);
    }

    [Fact]
    public async Task A_base_uri_path_is_kept_in_front_of_every_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.BaseUri = new Uri(emulator.Server.BaseUri, "gateway/aurous"));

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_1"));

        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith("GET /gateway/aurous/v1/characters/char_1 -> 404", StringComparison.Ordinal));
        Assert.Contains($"from {emulator.Server.BaseUri.GetLeftPart(UriPartial.Authority)}/gateway/aurous,", error.Message);
        Assert.Equal("char_1", error.CharacterId);
    }
}
