using System.Collections;
using System.Collections.Specialized;
using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>SendAsync(AurousRequest): any route, through the same pipeline as the typed calls, against the emulator.</summary>
public sealed class RawRequestTests
{
    private static readonly Uri Api = new("https://api.aurous-labs.com/");

    private static OrderedDictionary Object(AurousResponse response) => Assert.IsType<OrderedDictionary>(AurousJson.Parse(response.Content));

    [Fact]
    public async Task A_GET_returns_the_JSON_of_the_character_with_the_request_id()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Raw" });

        var response = await client.SendAsync(new AurousRequest { Method = "get", Path = $"/v1/characters/{created.Id}" });

        var character = Object(response);
        Assert.Equal(created.Id, character["id"]);
        Assert.Equal("Raw", character["name"]);
        Assert.Equal(4, Assert.IsType<object?[]>(character["refs"]).Length);
        Assert.True(response.IsJson);
        Assert.Equal(200, response.Info.StatusCode);
        Assert.StartsWith("req_", response.Info.RequestId);
        Assert.Null(response.Info.IdempotencyKey);
        Assert.Equal(AurousRateLimits.CharactersGetBucket, response.Route.Bucket);
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith($"GET /v1/characters/{created.Id} -> 200 ({response.Info.RequestId})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_POST_gets_an_idempotency_key_so_a_lost_response_is_charged_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Once" });
        await emulator.FaultAsync("resynthesize", "drop_after_commit", count: 1);

        var response = await client.SendAsync(new AurousRequest { Method = "POST", Path = $"v1/characters/{created.Id}/resynthesize", Body = "{}" });

        Assert.True(Guid.TryParse(response.Info.IdempotencyKey, out _), response.Info.IdempotencyKey);
        Assert.True(response.Info.Replayed);
        Assert.Equal(2, response.Info.Attempts);
        var charges = (await emulator.LedgerAsync()).Charges.Where(c => c.Route == "resynthesize").ToList();
        Assert.Equal(response.Info.IdempotencyKey, Assert.Single(charges).IdempotencyKey);
        Assert.Equal("synthesizing", Object(response)["status"]);
    }

    [Fact]
    public async Task A_given_key_is_sent_on_PATCH_and_a_JSON_body_goes_as_written()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Before" });
        var body = AurousJson.Serialize(new Hashtable { ["name"] = "After" });

        var first = await client.SendAsync(new AurousRequest { Method = "PATCH", Path = $"/v1/characters/{created.Id}", Body = body, IdempotencyKey = "rename-1" });
        var again = await client.SendAsync(new AurousRequest { Method = "PATCH", Path = $"/v1/characters/{created.Id}", Body = body, IdempotencyKey = "rename-1" });

        Assert.Equal("After", Object(first)["name"]);
        Assert.False(first.Info.Replayed);
        Assert.True(again.Info.Replayed);
        Assert.Equal("rename-1", again.Info.IdempotencyKey);
    }

    [Fact]
    public async Task A_404_is_CharacterNotFound_on_a_character_route_and_ResourceNotFound_elsewhere()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var character = await Assert.ThrowsAsync<AurousApiException>(() => client.SendAsync(new AurousRequest { Path = "/v1/characters/char_01HXMQ7Z3K8Y2NABCDEFGHJKMR" }));
        var image = await Assert.ThrowsAsync<AurousApiException>(() => client.SendAsync(new AurousRequest { Path = "/v1/images/img_123" }));

        Assert.Equal((AurousErrors.CharacterNotFound, "resource_not_found", 404), (character.ErrorId, character.Code, character.StatusCode));
        Assert.Equal((AurousErrors.ResourceNotFound, "resource_not_found", AurousErrorCategory.ObjectNotFound), (image.ErrorId, image.Code, image.Category));
        Assert.Contains("/v1/images/img_123", image.Message);
        Assert.StartsWith("req_", image.RequestId);
    }

    [Fact]
    public async Task A_refused_body_keeps_the_APIs_code_and_param()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Strict" });

        var refused = await Assert.ThrowsAsync<AurousApiException>(() => client.SendAsync(new AurousRequest { Method = "PATCH", Path = $"/v1/characters/{created.Id}", Body = """{"status":"ready"}""" }));

        Assert.Equal((AurousErrors.InvalidRequest, "invalid_request", "status", 400), (refused.ErrorId, refused.Code, refused.Param, refused.StatusCode));
    }

    [Fact]
    public async Task An_unknown_route_draws_from_its_own_bucket_shaped_like_the_strictest()
    {
        await using var emulator = await TestEmulator.StartAsync();
        // One token held, one more every half second: the second call must wait for it.
        using var client = emulator.Client(o => o.RateLimits.CharactersSynthesize = new AurousBucketLimit(2, 120));

        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<AurousApiException>(() => client.SendAsync(new AurousRequest { Method = "POST", Path = "/v1/images/estimate", Body = """{"prompt":"x"}""" }));
        }

        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith("POST /v1/images/estimate -> 404", StringComparison.Ordinal) && l.Contains("for bucket unknown_route]"));
    }

    [Theory]
    [InlineData("GET", "https://evil.example/v1/characters", null, null, AurousErrors.InvalidRequestPath)]
    [InlineData("GET", "http://127.0.0.1:1/v1/characters", null, null, AurousErrors.InvalidRequestPath)]
    [InlineData("GET", "/v1/characters/a b", null, null, AurousErrors.InvalidRequestPath)]
    [InlineData("GET", "/v1/characters#top", null, null, AurousErrors.InvalidRequestPath)]
    [InlineData("GET", "", null, null, AurousErrors.InvalidRequestPath)]
    [InlineData("PUT", "/v1/characters", null, null, AurousErrors.InvalidConfiguration)]
    [InlineData("GET", "/v1/characters", "{}", null, AurousErrors.InvalidRequestBody)]
    [InlineData("POST", "/v1/characters", "{name:", null, AurousErrors.InvalidRequestBody)]
    [InlineData("GET", "/v1/characters", null, "k1", AurousErrors.InvalidIdempotencyKey)]
    [InlineData("DELETE", "/v1/characters/x", null, "has space", AurousErrors.InvalidIdempotencyKey)]
    public async Task Bad_input_is_refused_before_any_request(string method, string path, string? body, string? key, string errorId)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var refused = await Assert.ThrowsAsync<AurousValidationException>(() => client.SendAsync(new AurousRequest { Method = method, Path = path, Body = body, IdempotencyKey = key }));

        Assert.Equal(errorId, refused.ErrorId);
        Assert.Empty(emulator.Log);
        Assert.DoesNotContain(EmulatorDefaults.TeamAKey, refused.Message);
    }

    [Fact]
    public async Task An_absolute_URL_on_the_APIs_own_host_is_accepted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var response = await client.SendAsync(new AurousRequest { Path = emulator.Server.BaseUri + "v1/characters?limit=1" });

        Assert.Equal("/v1/characters?limit=1", response.Route.Path);
        Assert.Equal("list", Object(response)["object"]);
    }

    [Theory]
    [InlineData("GET", "/v1/characters", "list", AurousRateLimits.CharactersGetBucket, 0)]
    [InlineData("GET", "v1/characters/char_1?x=1", "get", AurousRateLimits.CharactersGetBucket, 0)]
    [InlineData("PATCH", "/v1/characters/char_1", "update", AurousRateLimits.CharactersPostBucket, 0)]
    [InlineData("DELETE", "/v1/characters/char_1", "delete", AurousRateLimits.CharactersPostBucket, 0)]
    [InlineData("POST", "/v1/characters/char_1/save", "save", AurousRateLimits.CharactersPostBucket, 0)]
    [InlineData("POST", "/v1/characters", "create", AurousRateLimits.CharactersSynthesizeBucket, 4)]
    [InlineData("POST", "/v1/characters/char_1/resynthesize", "resynthesize", AurousRateLimits.CharactersSynthesizeBucket, 4)]
    [InlineData("POST", "/v1/characters/char_1/refs/regenerate", "regenerate", AurousRateLimits.CharactersSynthesizeBucket, 1)]
    [InlineData("POST", "/v1/images", null, AurousRateLimits.UnknownRouteBucket, 0)]
    [InlineData("GET", "/v1/characters/char_1/refs", null, AurousRateLimits.UnknownRouteBucket, 0)]
    [InlineData("PATCH", "/v1/characters", null, AurousRateLimits.UnknownRouteBucket, 0)]
    public void Routes_are_classified_by_method_and_path(string method, string path, string? name, string bucket, int generations)
    {
        var route = AurousRoute.Resolve(Api, method, path);

        Assert.Equal((name, bucket, generations), (route.Name, route.Bucket, route.Generations));
        Assert.StartsWith("/v1/", route.Path);
    }

    [Fact]
    public void A_base_URI_with_a_path_keeps_it_and_refuses_paths_outside_it()
    {
        var gateway = new Uri("https://gateway.example/aurous/");

        var route = AurousRoute.Resolve(gateway, "GET", "/v1/characters/char_1");
        var outside = Assert.Throws<AurousValidationException>(() => AurousRoute.Resolve(gateway, "GET", "https://gateway.example/other/v1/characters"));

        Assert.Equal(("/v1/characters/char_1", "get"), (route.Path, route.Name));
        Assert.Equal(AurousErrors.InvalidRequestPath, outside.ErrorId);
        Assert.Contains("Refusing to send the API key", outside.Message);
    }

    [Fact]
    public void Bodies_serialise_dictionaries_lists_and_values_in_order()
    {
        var body = new OrderedDictionary
        {
            ["name"] = "Aurora",
            ["attributes"] = new Hashtable { ["age"] = 28 },
            ["tags"] = new object?[] { "a", 1.5, true, null },
            ["big"] = 12345678901234L,
            ["when"] = new DateTimeOffset(2026, 5, 8, 10, 0, 0, TimeSpan.Zero),
        };

        Assert.Equal("""{"name":"Aurora","attributes":{"age":28},"tags":["a",1.5,true,null],"big":12345678901234,"when":"2026-05-08T10:00:00.0000000+00:00"}""", AurousJson.Serialize(body));
    }

    [Fact]
    public void Values_without_a_JSON_form_are_refused_with_where_they_are()
    {
        var nan = Assert.Throws<AurousValidationException>(() => AurousJson.Serialize(new Hashtable { ["x"] = double.NaN }));
        var key = Assert.Throws<AurousValidationException>(() => AurousJson.Serialize(new Hashtable { [1] = "one" }));
        var type = Assert.Throws<AurousValidationException>(() => AurousJson.Serialize(new Hashtable { ["p"] = new Uri("https://x/") }));
        var cycle = new ArrayList();
        cycle.Add(cycle);
        var deep = Assert.Throws<AurousValidationException>(() => AurousJson.Serialize(cycle));

        Assert.All(new[] { nan, key, type, deep }, e => Assert.Equal(AurousErrors.InvalidRequestBody, e.ErrorId));
        Assert.Contains("body.x", nan.Message);
        Assert.Contains("System.Uri", type.Message);
        Assert.Contains("contain itself", deep.Message);
    }

    [Fact]
    public void Responses_parse_to_plain_values()
    {
        var parsed = Assert.IsType<OrderedDictionary>(AurousJson.Parse("""{"b":1,"a":[2.5,"t",false,null],"huge":123456789012345678901234,"when":"2026-05-08T10:00:00Z"}"""));

        Assert.Equal(new[] { "b", "a", "huge", "when" }, parsed.Keys.Cast<string>());
        Assert.Equal(1L, parsed["b"]);
        Assert.Equal(new object?[] { 2.5, "t", false, null }, parsed["a"]);
        Assert.Equal(123456789012345678901234m, parsed["huge"]);
        Assert.Equal("2026-05-08T10:00:00Z", parsed["when"]);
    }
}
