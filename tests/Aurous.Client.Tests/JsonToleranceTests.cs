using System.Text.Json;
using Aurous.Client.Serialization;

namespace Aurous.Client.Tests;

public class JsonToleranceTests
{
    private const string NewerApiCharacter = """
        {
          "id": "char_01HXMQ7Z3K8Y2NABCDEFGHJKMR",
          "object": "character",
          "name": "Aurora",
          "status": "archived",
          "refs": [
            { "pose": "front", "url": "https://h/storage/front.bin?token=t", "width": 1024 },
            { "pose": "hologram", "url": "https://h/storage/holo.bin?token=t" },
            { "pose": "SIDE", "url": "https://h/storage/side.bin?token=t" }
          ],
          "created_at": "2026-05-08T10:00:00Z",
          "updated_at": "2026-05-08T10:00:01.5+02:00",
          "attributes": { "gender": "female", "age": 28, "hair_color": "black", "mood": "calm", "tags": ["a", "b"] },
          "error_message": null,
          "aurous_version": "2026-05-15",
          "team_id": "team_a",
          "billing": { "plan": "pro" }
        }
        """;

    [Fact]
    public void Unknown_enum_values_and_extra_fields_deserialize_without_error()
    {
        var character = JsonSerializer.Deserialize(NewerApiCharacter, AurousJsonContext.Default.Character)!;

        Assert.Equal("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR", character.Id);
        Assert.Equal("Unknown", character.Status);
        Assert.Equal(new[] { "Front", "Unknown", "Side" }, character.Refs.Select(r => r.Pose));
        Assert.Equal(new[] { "Front", "Unknown", "Side" }, character.Poses);
        Assert.Equal(new DateTimeOffset(2026, 5, 8, 8, 0, 1, 500, TimeSpan.Zero), character.UpdatedAt);
        Assert.Equal("black", character.Attributes!.HairColor);
        Assert.Equal("calm", character.Attributes.AdditionalFields!["mood"].GetString());
        Assert.Equal(2, character.Attributes.AdditionalFields["tags"].GetArrayLength());
    }

    [Fact]
    public void Unknown_attribute_fields_survive_a_round_trip_so_a_merge_sends_them_back()
    {
        var character = JsonSerializer.Deserialize(NewerApiCharacter, AurousJsonContext.Default.Character)!;
        var update = new CharacterUpdate { Attributes = character.Attributes!.MergeWith(new CharacterAttributes { EyeColor = "green" }) };

        var json = JsonSerializer.Serialize(update, AurousJsonContext.Default.CharacterUpdate);

        Assert.Equal("""{"attributes":{"gender":"female","age":28,"hair_color":"black","eye_color":"green","mood":"calm","tags":["a","b"]}}""", json);
    }

    [Theory]
    [InlineData("\"ready\"", CharacterStatus.Ready)]
    [InlineData("\"READY\"", CharacterStatus.Ready)]
    [InlineData("\"Synthesizing\"", CharacterStatus.Synthesizing)]
    [InlineData("\"paused_for_review\"", CharacterStatus.Unknown)]
    [InlineData("\"3\"", CharacterStatus.Unknown)]
    [InlineData("\"ready,failed\"", CharacterStatus.Unknown)]
    [InlineData("3", CharacterStatus.Unknown)]
    [InlineData("null", CharacterStatus.Unknown)]
    [InlineData("{}", CharacterStatus.Unknown)]
    public void Status_reads_tolerantly(string wire, CharacterStatus expected)
    {
        var character = JsonSerializer.Deserialize($$"""{"id":"char_1","status":{{wire}},"refs":[]}""", AurousJsonContext.Default.Character)!;

        Assert.Equal(expected.ToString(), character.Status);
        Assert.Equal(expected, character.State);
    }

    [Fact]
    public void A_character_written_back_uses_the_wire_values_and_reads_as_names()
    {
        var character = JsonSerializer.Deserialize(
            """{"id":"char_1","status":"reviewing","refs":[{"pose":"portrait","url":"u1"},{"pose":"side","url":"u2"}]}""",
            AurousJsonContext.Default.Character)!;

        var json = JsonSerializer.Serialize(character, AurousJsonContext.Default.Character);

        Assert.Equal("Reviewing", character.Status);
        Assert.Equal("Portrait, Side", character.Poses.ToString());
        Assert.Contains("\"status\":\"reviewing\"", json);
        Assert.Contains("\"refs\":[{\"pose\":\"portrait\",\"url\":\"u1\"},{\"pose\":\"side\",\"url\":\"u2\"}]", json);
        Assert.DoesNotContain("poses", json);
    }

    [Fact]
    public void Requests_serialize_in_snake_case_and_omit_what_is_not_set()
    {
        Assert.Equal("""{"force_all":true}""", JsonSerializer.Serialize(new ResynthesizeRequest { ForceAll = true, IdempotencyKey = "k" }, AurousJsonContext.Default.ResynthesizeRequest));
        Assert.Equal("""{"pose":"portrait"}""", JsonSerializer.Serialize(new RegenerateRefRequest { Pose = CharacterPose.Portrait }, AurousJsonContext.Default.RegenerateRefRequest));
        Assert.Equal("""{"name":"Aurora (final)"}""", JsonSerializer.Serialize(new CharacterUpdate { Name = "Aurora (final)" }, AurousJsonContext.Default.CharacterUpdate));
    }

    [Fact]
    public void The_error_envelope_reads_both_invalid_request_spellings()
    {
        var a = JsonSerializer.Deserialize("""{"error":{"type":"invalid_request","code":"idempotency_key_in_use","message":"m","param":null,"extra":1}}""", AurousJsonContext.Default.ErrorEnvelope)!;
        var b = JsonSerializer.Deserialize("""{"error":{"type":"invalid_request_error","code":"invalid_request","message":"m","param":"name"}}""", AurousJsonContext.Default.ErrorEnvelope)!;

        Assert.Equal("invalid_request", a.Error!.Type);
        Assert.Equal("invalid_request_error", b.Error!.Type);
        Assert.Equal("name", b.Error.Param);
    }
}
