using System.Net;

namespace Aurous.Emulator.Tests;

public sealed class AuthAndIsolationTests
{
    [Theory]
    [InlineData(null, "missing_api_key")]
    [InlineData("", "missing_api_key")]
    [InlineData("al_live_not_a_real_key", "invalid_api_key")]
    [InlineData("AL_LIVE_EMULATOR_TEAM_A", "invalid_api_key")]
    public async Task Missing_or_unknown_keys_get_401_in_the_envelope_without_echoing_the_key(string? apiKey, string code)
    {
        await using var h = await Harness.StartAsync();
        var response = await h.SendAsync(HttpMethod.Post, "v1/characters", """{"name":"x"}""", apiKey: apiKey);
        response.AssertError(HttpStatusCode.Unauthorized, code);
        Assert.Equal("authentication_error", response.Json.GetProperty("error").GetProperty("type").GetString());
        if (!string.IsNullOrEmpty(apiKey))
        {
            Assert.DoesNotContain(apiKey, response.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Every_route_answers_401_without_a_key()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        foreach (var (method, path) in Routes(id))
        {
            (await h.SendAsync(method, path, "{}", apiKey: null)).AssertError(HttpStatusCode.Unauthorized, "missing_api_key");
        }
    }

    [Fact]
    public async Task Another_teams_character_is_404_on_every_route_and_nothing_changes()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var before = await h.SnapshotAsync(id);

        foreach (var (method, path) in Routes(id))
        {
            var body = path.EndsWith("regenerate", StringComparison.Ordinal) ? """{"pose":"front"}""" : path.EndsWith(id, StringComparison.Ordinal) && method == HttpMethod.Patch ? """{"name":"stolen"}""" : "{}";
            var response = await h.SendAsync(method, path, body, apiKey: Harness.TeamB);
            response.AssertError(HttpStatusCode.NotFound, "resource_not_found");
            Assert.NotEqual(HttpStatusCode.Forbidden, response.Status);
        }

        Assert.Equal(before, await h.SnapshotAsync(id));
        Assert.Empty((await h.LedgerAsync(EmulatorDefaults.TeamB)).Charges);
        Assert.Single((await h.LedgerAsync()).Charges);
        Assert.Equal(1000, (await h.LedgerAsync(EmulatorDefaults.TeamB)).Credits);
    }

    [Fact]
    public async Task The_404_for_another_team_is_indistinguishable_from_an_unknown_id()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var crossTeam = await h.GetAsync(id, Harness.TeamB);
        var unknown = await h.GetAsync("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR", Harness.TeamB);
        Assert.Equal(unknown.Json.GetProperty("error").GetRawText(), crossTeam.Json.GetProperty("error").GetRawText());
        Assert.Equal("character_id", crossTeam.ErrorParam);
    }

    [Fact]
    public async Task Every_response_carries_a_unique_request_id_including_errors_control_calls_and_images()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var character = await h.GetAsync(id);
        var imageUrl = character.Json.GetProperty("refs")[0].GetProperty("url").GetString()!;
        using var image = await h.Http.GetAsync(imageUrl);

        var responses = new List<string?>
        {
            character.Header("Request-Id"),
            (await h.GetAsync("nope")).Header("Request-Id"),
            (await h.GetAsync(id, apiKey: "bad")).Header("Request-Id"),
            (await h.SendAsync(HttpMethod.Put, $"v1/characters/{id}")).Header("Request-Id"),
            (await h.SendAsync(HttpMethod.Get, "no/such/route")).Header("Request-Id"),
            (await h.ControlAsync(HttpMethod.Get, "_emulator/teams/team_a/ledger")).Header("Request-Id"),
            image.Headers.GetValues("Request-Id").Single(),
        };

        Assert.All(responses, r => Assert.Matches("^req_[0-9A-Z]{24}$", r));
        Assert.Equal(responses.Count, responses.Distinct().Count());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_in_the_envelope()
    {
        await using var h = await Harness.StartAsync();
        (await h.SendAsync(HttpMethod.Get, "v1/images")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.SendAsync(HttpMethod.Put, "v1/characters/char_01HXMQ7Z3K8Y2NABCDEFGHJKMR")).AssertError(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    private static (HttpMethod Method, string Path)[] Routes(string id) =>
    [
        (HttpMethod.Get, $"v1/characters/{id}"),
        (HttpMethod.Patch, $"v1/characters/{id}"),
        (HttpMethod.Post, $"v1/characters/{id}/save"),
        (HttpMethod.Post, $"v1/characters/{id}/resynthesize"),
        (HttpMethod.Post, $"v1/characters/{id}/refs/regenerate"),
        (HttpMethod.Delete, $"v1/characters/{id}"),
    ];
}
