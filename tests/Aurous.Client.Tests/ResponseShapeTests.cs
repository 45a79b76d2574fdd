using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Aurous.Client.Tests;

/// <summary>
/// Answers in every shape the API pages allow, served by a stub rather than the emulator (which keeps the one shape
/// it has): error_message as an object or a string, both spellings of the 400 code, and fields, states and poses
/// this version does not know. Each goes through the client as a real answer would.
/// </summary>
public sealed class ResponseShapeTests : IDisposable
{
    private const string Id = "char_01HXMQ7Z3K8Y2NABCDEFGHJKMR";

    private readonly string _bucketDirectory = Path.Combine(Path.GetTempPath(), "aurous-tests-" + Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        if (Directory.Exists(_bucketDirectory))
        {
            Directory.Delete(_bucketDirectory, recursive: true);
        }
    }

    private static string CharacterJson(string status, string errorMessage, string extra = "") => $$"""
        {"id":"{{Id}}","object":"character","name":"Aurora","status":"{{status}}","refs":[],
         "created_at":"2026-05-08T10:00:00Z","updated_at":"2026-05-08T10:00:05Z","attributes":null,
         "error_message":{{errorMessage}},"aurous_version":"2026-05-15"{{extra}}}
        """;

    private static Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_stub";
        return context.Response.WriteAsync(json, Encoding.UTF8);
    }

    private AurousClient Client(StorageStub stub) => new(new AurousClientOptions
    {
        ApiKey = "al_live_stub",
        BaseUri = stub.BaseUri,
        Retry = new AurousRetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
        RequestTimeout = TimeSpan.FromSeconds(10),
        RateLimits = new AurousRateLimits { SharedStateDirectory = _bucketDirectory },
        HostDescription = "xunit",
    });

    [Theory]
    [InlineData("""{"code":"gpu_unavailable","message":"No GPU capacity in region"}""", "No GPU capacity in region")]
    [InlineData("""{"code":"gpu_unavailable","retryable":true}""", """{"code":"gpu_unavailable","retryable":true}""")]
    [InlineData("""{"message":42}""", """{"message":42}""")]
    [InlineData("\"GPU on fire\"", "GPU on fire")]
    [InlineData("[\"a\",\"b\"]", "[\"a\",\"b\"]")]
    public async Task A_failed_characters_error_message_reads_in_any_shape_and_keeps_the_whole_value(string errorMessage, string expectedText)
    {
        await using var stub = await StorageStub.StartAsync((context, _) => Answer(context, 200, CharacterJson("failed", errorMessage)));
        using var client = Client(stub);

        var character = await client.GetCharacterAsync(Id);

        Assert.Equal("Failed", character.Status);
        Assert.Equal(expectedText, character.ErrorMessage);
        Assert.Equal(errorMessage, character.ErrorMessageJson);
    }

    [Fact]
    public async Task No_error_message_reads_as_null_in_both_properties()
    {
        await using var stub = await StorageStub.StartAsync((context, _) => Answer(context, 200, CharacterJson("ready", "null")));
        using var client = Client(stub);

        var character = await client.GetCharacterAsync(Id);

        Assert.Null(character.ErrorMessage);
        Assert.Null(character.ErrorMessageJson);
    }

    [Fact]
    public async Task A_failed_character_with_an_object_error_message_settles_a_wait_with_its_message()
    {
        // Synthesizing for the first poll, failed from the second on.
        await using var stub = await StorageStub.StartAsync((context, count) => Answer(context, 200, count == 0
            ? CharacterJson("synthesizing", "null")
            : CharacterJson("failed", """{"code":"gpu_unavailable","message":"No GPU capacity in region"}""")));
        using var client = Client(stub);

        var results = new List<CharacterWaitResult>();
        await foreach (var result in client.WaitForCharactersAsync(new[] { Id }, new CharacterWaitOptions { PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(20) }))
        {
            results.Add(result);
        }

        var failed = Assert.Single(results);
        Assert.Equal(CharacterWaitOutcome.Failed, failed.Outcome);
        Assert.Equal("No GPU capacity in region", failed.Character!.ErrorMessage);
        Assert.Equal("gpu_unavailable", JsonDocument.Parse(failed.Character.ErrorMessageJson!).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_list_page_holding_a_failed_character_with_an_object_error_message_reads()
    {
        var page = $$"""{"object":"list","data":[{{CharacterJson("failed", """{"message":"Moderation refused the prompt"}""")}}],"has_more":false}""";
        await using var stub = await StorageStub.StartAsync((context, _) => Answer(context, 200, page));
        using var client = Client(stub);

        var list = await client.ListCharactersPageAsync(limit: 10);

        Assert.Equal("Moderation refused the prompt", Assert.Single(list.Data!).ErrorMessage);
    }

    [Theory]
    [InlineData("invalid_request")]
    [InlineData("invalid_request_error")]
    public async Task Both_spellings_of_the_400_code_classify_as_InvalidRequest(string code)
    {
        var body = $$$"""{"error":{"type":"{{{code}}}","code":"{{{code}}}","message":"Character is in a non-savable state.","param":null}}""";
        await using var stub = await StorageStub.StartAsync((context, _) => Answer(context, 400, body));
        using var client = Client(stub);

        var refused = await Assert.ThrowsAsync<AurousApiException>(() => client.SaveCharacterAsync(Id));
        var patched = await Assert.ThrowsAsync<AurousApiException>(() => client.UpdateCharacterAsync(Id, new CharacterUpdate { Name = "Renamed" }));

        Assert.All(new[] { refused, patched }, e =>
        {
            Assert.Equal(AurousErrors.InvalidRequest, e.ErrorId);
            Assert.Equal(AurousErrorCategory.InvalidArgument, e.Category);
            Assert.Equal(400, e.StatusCode);
            Assert.Equal(code, e.Code);
        });
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task New_fields_states_and_poses_keep_reading()
    {
        var json = $$$"""
            {"id":"{{{Id}}}","object":"character","name":"Aurora","status":"archived",
             "refs":[{"pose":"hologram","url":"https://h/holo.bin?token=t","width":1024},{"pose":"front","url":"https://h/front.bin?token=t"}],
             "created_at":"2026-05-08T10:00:00Z","updated_at":"2026-05-08T10:00:05Z",
             "attributes":{"hair_color":"black","mood":"calm","palette":{"primary":"gold"}},
             "error_message":null,"aurous_version":"2026-09-01","team_id":"team_a","billing":{"plan":"pro"},"labels":["x"]}
            """;
        await using var stub = await StorageStub.StartAsync((context, _) => Answer(context, 200, json));
        using var client = Client(stub);

        var character = await client.GetCharacterAsync(Id);

        Assert.Equal("Unknown", character.Status);
        Assert.Equal(new[] { "Unknown", "Front" }, character.Poses);
        Assert.Equal("black", character.Attributes!.HairColor);
        Assert.Equal("calm", character.Attributes.AdditionalFields!["mood"].GetString());
        Assert.Equal("gold", character.Attributes.AdditionalFields["palette"].GetProperty("primary").GetString());
        Assert.Equal("2026-09-01", character.AurousVersion);
    }
}
