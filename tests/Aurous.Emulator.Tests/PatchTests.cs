using System.Net;
using System.Text.Json;

namespace Aurous.Emulator.Tests;

public sealed class PatchTests
{
    [Fact]
    public async Task Patch_renames_keeps_omitted_fields_and_costs_nothing()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var before = (await h.GetAsync(id)).Json;

        var renamed = (await h.PatchAsync(id, """{"name":"Aurora (final)"}""")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("Aurora (final)", renamed.GetProperty("name").GetString());
        Assert.Equal(before.GetProperty("attributes").GetRawText(), renamed.GetProperty("attributes").GetRawText());
        Assert.Equal("ready", renamed.GetProperty("status").GetString());
        Assert.Equal(LifecycleTests.Poses(before), LifecycleTests.Poses(renamed));
        Assert.Equal(996, (await h.LedgerAsync()).Credits);
        Assert.Single((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Patch_replaces_attributes_whole_never_merges()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var patched = (await h.PatchAsync(id, """{"attributes":{"eye_color":"blue"}}""")).AssertStatus(HttpStatusCode.OK).Json;
        var attributes = patched.GetProperty("attributes");
        Assert.Equal("blue", attributes.GetProperty("eye_color").GetString());
        Assert.Equal(JsonValueKind.Null, attributes.GetProperty("age").ValueKind);
        Assert.Equal(JsonValueKind.Null, attributes.GetProperty("hair_color").ValueKind);

        var cleared = (await h.PatchAsync(id, """{"attributes":null}""")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("attributes").ValueKind);
    }

    [Fact]
    public async Task Patch_with_non_whitelisted_fields_names_the_first_and_lists_all()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var before = await h.SnapshotAsync(id);

        var response = await h.PatchAsync(id, """{"name":"New","refs":[],"team_id":"t","status":"ready"}""");
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("refs", response.ErrorParam);
        Assert.Contains("refs", response.ErrorMessage);
        Assert.Contains("team_id", response.ErrorMessage);
        Assert.Contains("status", response.ErrorMessage);
        Assert.Equal(before, await h.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":42}""", "name")]
    [InlineData("""{"name":["a"]}""", "name")]
    [InlineData("""{"attributes":"tall"}""", "attributes")]
    [InlineData("""{"attributes":[]}""", "attributes")]
    [InlineData("""{"attributes":{"age":"28"}}""", "attributes.age")]
    [InlineData("""{"attributes":{"age":28.5}}""", "attributes.age")]
    [InlineData("""{"attributes":{"age":-1}}""", "attributes.age")]
    [InlineData("""{"attributes":{"hair_color":5}}""", "attributes.hair_color")]
    [InlineData("""{"attributes":{"eye_color":"blue","wings":"yes"}}""", "attributes.wings")]
    [InlineData("""{"id":"char_X"}""", "id")]
    [InlineData("""{"aurous_version":"2027-01-01"}""", "aurous_version")]
    public async Task Patch_with_bad_values_is_400_naming_the_field_and_changes_nothing(string body, string param)
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var before = await h.SnapshotAsync(id);

        var response = await h.PatchAsync(id, body);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, response.ErrorParam);
        Assert.Equal(before, await h.SnapshotAsync(id));
    }

    [Fact]
    public async Task Name_length_is_1_to_80()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var eighty = new string('n', 80);
        Assert.Equal(eighty, (await h.PatchAsync(id, $$"""{"name":"{{eighty}}"}""")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("name").GetString());
        Assert.Equal("x", (await h.PatchAsync(id, """{"name":"x"}""")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("name").GetString());
        (await h.PatchAsync(id, $$"""{"name":"{{eighty}}n"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("x", (await h.PeekAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patch_bumps_updated_at_only_when_something_changes()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var before = (await h.GetAsync(id)).Json.GetProperty("updated_at").GetString();
        await h.AdvanceAsync(5);

        Assert.Equal(before, (await h.PatchAsync(id, "{}")).AssertStatus(HttpStatusCode.OK).Json.GetProperty("updated_at").GetString());
        Assert.NotEqual(before, (await h.PatchAsync(id, """{"name":"Later"}""")).Json.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task Patch_works_while_synthesizing_and_does_not_disturb_it()
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync()).Id;
        var patched = (await h.PatchAsync(id, """{"name":"Renamed mid-flight"}""")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("synthesizing", patched.State);
        await h.AdvanceAsync(h.Options.SynthesisSeconds);
        var done = await h.GetAsync(id);
        Assert.Equal(("reviewing", "Renamed mid-flight"), (done.State, done.Json.GetProperty("name").GetString()));
    }
}
