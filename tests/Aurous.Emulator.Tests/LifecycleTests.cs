using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aurous.Emulator.Tests;

public sealed partial class LifecycleTests
{
    [Fact]
    public async Task Create_returns_201_with_the_documented_resource_and_charges_four()
    {
        await using var h = await Harness.StartAsync();
        var created = (await h.CreateAsync("Aurora the Adventurer", key: "create-1")).AssertStatus(HttpStatusCode.Created);
        var json = created.Json;

        Assert.Matches(CharacterId(), created.Id);
        Assert.Equal("character", json.GetProperty("object").GetString());
        Assert.Equal("Aurora the Adventurer", json.GetProperty("name").GetString());
        Assert.Equal("synthesizing", created.State);
        Assert.Equal(0, json.GetProperty("refs").GetArrayLength());
        Assert.Equal(28, json.GetProperty("attributes").GetProperty("age").GetInt32());
        Assert.Equal("black", json.GetProperty("attributes").GetProperty("hair_color").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error_message").ValueKind);
        Assert.Equal(EmulatorDefaults.DefaultApiVersion, json.GetProperty("aurous_version").GetString());
        foreach (var stamp in new[] { "created_at", "updated_at" })
        {
            var text = json.GetProperty(stamp).GetString()!;
            Assert.EndsWith("Z", text);
            Assert.True(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _), text);
        }

        var ledger = await h.LedgerAsync();
        Assert.Equal(996, ledger.Credits);
        var charge = Assert.Single(ledger.Charges);
        Assert.Equal(("create", created.Id, "create-1", 4), (charge.Route, charge.CharacterId, charge.IdempotencyKey, charge.Generations));
    }

    [Fact]
    public async Task Ids_are_unique_Crockford_ulids()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersSynthesize = new BucketShape(20, 60));
        var ids = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(ids.Add((await h.CreateAsync()).Id));
        }

        Assert.All(ids, id => Assert.Matches(CharacterId(), id));
    }

    [Fact]
    public async Task Synthesis_completes_to_reviewing_with_four_poses_when_the_clock_passes_the_synthesis_time()
    {
        await using var h = await Harness.StartAsync(o => o.SynthesisSeconds = 45);
        var id = (await h.CreateAsync()).Id;

        await h.AdvanceAsync(44);
        Assert.Equal("synthesizing", (await h.GetAsync(id)).State);

        await h.AdvanceAsync(1);
        var done = (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("reviewing", done.State);
        Assert.Equal(["portrait", "front", "side", "back"], Poses(done.Json));
        Assert.All(done.Json.GetProperty("refs").EnumerateArray(), r => Assert.Contains("token=", r.GetProperty("url").GetString()));
        Assert.Equal(JsonValueKind.Null, done.Json.GetProperty("error_message").ValueKind);
    }

    [Fact]
    public async Task Synthesis_fails_at_the_failure_rate_with_an_error_message()
    {
        await using var h = await Harness.StartAsync(o => o.FailureRate = 1);
        var id = (await h.CreateAsync()).Id;
        await h.AdvanceAsync(h.Options.SynthesisSeconds);

        var failed = await h.GetAsync(id);
        Assert.Equal("failed", failed.State);
        Assert.False(string.IsNullOrWhiteSpace(failed.Json.GetProperty("error_message").GetString()));
    }

    [Fact]
    public async Task Finish_control_call_fails_a_synthesis_now_with_the_given_message()
    {
        await using var h = await Harness.StartAsync(o => o.SynthesisSeconds = 3600);
        var id = (await h.CreateAsync()).Id;
        await h.FinishAsync(id, "failed", "GPU on fire");

        var failed = await h.GetAsync(id);
        Assert.Equal("failed", failed.State);
        Assert.Equal("GPU on fire", failed.Json.GetProperty("error_message").GetString());
        (await h.ControlAsync(HttpMethod.Post, $"_emulator/characters/{id}/finish", """{"outcome":"reviewing"}"""))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Save_moves_reviewing_to_ready_and_is_a_no_op_on_ready()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();

        var saved = (await h.SaveAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ready", saved.State);
        var again = (await h.SaveAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ready", again.State);
        Assert.Equal(saved.Json.GetProperty("updated_at").GetString(), again.Json.GetProperty("updated_at").GetString());
        Assert.Equal(996, (await h.LedgerAsync()).Credits);
    }

    [Theory]
    [InlineData("synthesizing")]
    [InlineData("failed")]
    public async Task Save_refuses_synthesizing_and_failed_characters(string state)
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync()).Id;
        if (state == "failed")
        {
            await h.FinishAsync(id, "failed");
        }

        (await h.SaveAsync(id)).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(state, (await h.GetAsync(id)).State);
    }

    [Theory]
    [InlineData("reviewing", "{}")]
    [InlineData("ready", """{"force_all":true}""")]
    [InlineData("failed", """{"force_all":false}""")]
    [InlineData("ready", null)]
    public async Task Resynthesize_from_an_eligible_state_charges_four_and_replaces_every_ref(string state, string? body)
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        await h.RegenerateAsync(id, "other");
        await h.FinishAsync(id, "reviewing");
        if (state == "ready")
        {
            await h.SaveAsync(id);
        }
        else if (state == "failed")
        {
            await h.ResynthesizeAsync(id);
            await h.FinishAsync(id, "failed");
        }

        var before = await h.GetAsync(id);
        var creditsBefore = (await h.LedgerAsync()).Credits;
        var started = (await h.ResynthesizeAsync(id, body)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("synthesizing", started.State);
        Assert.Equal(creditsBefore - 4, (await h.LedgerAsync()).Credits);

        await h.FinishAsync(id, "reviewing");
        var after = await h.GetAsync(id);
        Assert.Equal("reviewing", after.State);
        Assert.Equal(["portrait", "front", "side", "back"], Poses(after.Json));
        Assert.Empty(RefPaths(after.Json).Intersect(RefPaths(before.Json)));
    }

    [Fact]
    public async Task Resynthesize_of_a_synthesizing_character_is_400_and_charges_nothing()
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync()).Id;
        (await h.ResynthesizeAsync(id, key: "r1")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Regenerate_replaces_one_pose_keeps_the_others_and_charges_one()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var before = RefsByPose((await h.GetAsync(id)).Json);

        var started = (await h.RegenerateAsync(id, "side", key: "regen-1")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("synthesizing", started.State);
        await h.AdvanceAsync(h.Options.SynthesisSeconds);

        var after = await h.GetAsync(id);
        Assert.Equal("reviewing", after.State);
        var refs = RefsByPose(after.Json);
        Assert.Equal(before["front"], refs["front"]);
        Assert.Equal(before["portrait"], refs["portrait"]);
        Assert.Equal(before["back"], refs["back"]);
        Assert.NotEqual(before["side"], refs["side"]);

        var charge = (await h.LedgerAsync()).Charges[^1];
        Assert.Equal(("regenerate", id, "regen-1", 1), (charge.Route, charge.CharacterId, charge.IdempotencyKey, charge.Generations));
        Assert.Equal(995, (await h.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task Regenerate_other_adds_a_fifth_ref()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        (await h.RegenerateAsync(id, "other")).AssertStatus(HttpStatusCode.OK);
        await h.FinishAsync(id, "reviewing");
        Assert.Equal(["portrait", "front", "side", "back", "other"], Poses((await h.GetAsync(id)).Json));
    }

    [Fact]
    public async Task Regenerate_is_allowed_from_failed_and_refused_while_synthesizing()
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync()).Id;
        (await h.RegenerateAsync(id, "front")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        await h.FinishAsync(id, "failed");
        (await h.RegenerateAsync(id, "front")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(995, (await h.LedgerAsync()).Credits);
    }

    [Theory]
    [InlineData("""{"pose":"left"}""")]
    [InlineData("""{"pose":"Front"}""")]
    [InlineData("""{"pose":""}""")]
    [InlineData("""{"pose":3}""")]
    [InlineData("""{"pose":null}""")]
    [InlineData("""{}""")]
    [InlineData("""{"pose":"front","prompt_override":7}""")]
    [InlineData("""{"pose":"front","seed":7}""")]
    public async Task Regenerate_with_a_bad_body_is_400_and_changes_nothing(string body)
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var response = await h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/refs/regenerate", body);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("ready", (await h.GetAsync(id)).State);
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Regenerate_accepts_prompt_override_as_a_no_op()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var response = await h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/refs/regenerate", """{"pose":"portrait","prompt_override":"soft studio lighting"}""");
        Assert.Equal("synthesizing", response.AssertStatus(HttpStatusCode.OK).State);
    }

    [Fact]
    public async Task Resynthesize_with_a_non_boolean_force_all_is_400()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        (await h.ResynthesizeAsync(id, """{"force_all":"yes"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("force_all", (await h.ResynthesizeAsync(id, """{"force_all":1}""")).ErrorParam);
        Assert.Equal("ready", (await h.GetAsync(id)).State);
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Delete_is_soft_and_afterwards_every_route_answers_404()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var deleted = (await h.DeleteAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("deleted", deleted.State);

        (await h.GetAsync(id)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.PatchAsync(id, """{"name":"x"}""")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.SaveAsync(id)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.ResynthesizeAsync(id)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.RegenerateAsync(id, "front")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.DeleteAsync(id)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        Assert.Equal(996, (await h.LedgerAsync()).Credits);
        Assert.Equal("deleted", (await h.PeekAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Aurous_version_header_is_stamped_at_creation_and_frozen_afterwards()
    {
        await using var h = await Harness.StartAsync();
        var created = await h.SendAsync(HttpMethod.Post, "v1/characters", """{"name":"Pinned"}""", headers: ("Aurous-Version", "2027-01-31"));
        Assert.Equal("2027-01-31", created.AssertStatus(HttpStatusCode.Created).Json.GetProperty("aurous_version").GetString());

        var later = await h.SendAsync(HttpMethod.Patch, $"v1/characters/{created.Id}", """{"name":"Still pinned"}""", headers: ("Aurous-Version", "2026-05-15"));
        Assert.Equal("2027-01-31", later.AssertStatus(HttpStatusCode.OK).Json.GetProperty("aurous_version").GetString());
    }

    [Fact]
    public async Task Unknown_character_ids_of_any_shape_are_404()
    {
        await using var h = await Harness.StartAsync();
        (await h.GetAsync("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.GetAsync("not-an-id")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
    }

    internal static string[] Poses(JsonElement character) =>
        character.GetProperty("refs").EnumerateArray().Select(r => r.GetProperty("pose").GetString()!).ToArray();

    private static Dictionary<string, string> RefsByPose(JsonElement character) =>
        character.GetProperty("refs").EnumerateArray().ToDictionary(r => r.GetProperty("pose").GetString()!, r => new Uri(r.GetProperty("url").GetString()!).AbsolutePath);

    private static IEnumerable<string> RefPaths(JsonElement character) => RefsByPose(character).Values;

    [GeneratedRegex("^char_[0-9A-HJKMNP-TV-Z]{26}$")]
    private static partial Regex CharacterId();
}
