using System.Net;

namespace Aurous.Emulator.Tests;

/// <summary>Bad input of every kind gets a clean 4xx envelope, never a 500, and changes nothing.</summary>
public sealed class ValidationTests
{
    public static TheoryData<string, string, string?> BadCreateBodies => new()
    {
        { """{"name":""", "malformed", null },
        { "not json at all", "malformed", null },
        { """{"name":"A",}""", "trailing comma", null },
        { """{"name":"A","name":"B"}""", "duplicate property", null },
        { "[]", "array body", null },
        { "\"Aurora\"", "string body", null },
        { "null", "null body", null },
        { "{}", "missing name", "name" },
        { """{"name":7}""", "number name", "name" },
        { """{"name":""}""", "empty name", "name" },
        { $$"""{"name":"{{new string('x', 81)}}"}""", "81-char name", "name" },
        { """{"name":"A","attributes":5}""", "number attributes", "attributes" },
        { """{"name":"A","attributes":{"age":"old"}}""", "string age", "attributes.age" },
        { """{"name":"A","attributes":{"age":1e400}}""", "huge age", "attributes.age" },
        { """{"name":"A","attributes":{"favourite":"x"}}""", "unknown attribute", "attributes.favourite" },
        { """{"name":"A","status":"ready"}""", "unknown field", "status" },
        { $$$"""{"name":"A","attributes":{"additional_details":"{{{new string('d', 1001)}}}"}}""", "oversize text", "attributes.additional_details" },
        { new string('[', 100) + new string(']', 100), "too deep", null },
    };

    [Theory]
    [MemberData(nameof(BadCreateBodies))]
    public async Task Bad_create_bodies_are_400_and_charge_nothing(string body, string because, string? param)
    {
        await using var h = await Harness.StartAsync();
        var response = await h.SendAsync(HttpMethod.Post, "v1/characters", body, idempotencyKey: "bad-" + because);
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, response.ErrorParam);
        var ledger = await h.LedgerAsync();
        Assert.Empty(ledger.Charges);
        Assert.Equal(1000, ledger.Credits);
    }

    [Theory]
    [InlineData("2026-5-15")]
    [InlineData("15-05-2026")]
    [InlineData("2026-05-15T00:00:00Z")]
    [InlineData("latest")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("")]
    [InlineData("2026-05-15,2026-05-16")]
    public async Task A_bad_Aurous_Version_header_is_400_before_anything_happens(string version)
    {
        await using var h = await Harness.StartAsync();
        var response = await h.SendAsync(HttpMethod.Post, "v1/characters", """{"name":"A"}""", headers: ("Aurous-Version", version));
        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("Aurous-Version", response.ErrorParam);
        Assert.Empty((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task A_body_over_the_size_cap_is_413()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var huge = $$"""{"name":"{{new string('x', 70_000)}}"}""";
        (await h.PatchAsync(id, huge)).AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.Equal("Aurora", (await h.PeekAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Malformed_json_on_a_paid_route_with_a_key_is_400_and_the_key_stays_free()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        (await h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/resynthesize", "{force_all:true}", idempotencyKey: "fresh"))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ResynthesizeAsync(id, """{"force_all":true}""", key: "fresh")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, (await h.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Resynthesize_rejects_unknown_fields()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        var response = (await h.ResynthesizeAsync(id, """{"force_all":true,"poses":["front"]}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("poses", response.ErrorParam);
        Assert.Equal("ready", (await h.GetAsync(id)).State);
    }

    [Fact]
    public async Task Control_calls_validate_their_bodies_too()
    {
        await using var h = await Harness.StartAsync();
        (await h.ControlAsync(HttpMethod.Put, "_emulator/teams/team_a/credits", """{"credits":-1}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Put, "_emulator/teams/team_a/credits", """{"credits":"ten"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Put, "_emulator/teams/team-z/credits", """{"credits":1}""")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/clock/advance", """{"seconds":-5}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/clock/advance", "{")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/faults", """{"route":"images","kind":"error_500","count":1}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/faults", """{"route":"get","kind":"meteor","count":1}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/faults", """{"route":"get","kind":"error_500"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/faults", """{"route":"get","kind":"error_500","count":1,"rate":0.5}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/faults", """{"route":"get","kind":"delay","count":1}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/faults", """{"route":"get","kind":"error_500","rate":1.5}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/characters/char_nope/finish", """{"outcome":"reviewing"}""")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        Assert.Equal(1000, (await h.LedgerAsync()).Credits);
        var id = (await h.CreateAsync()).Id;
        (await h.ControlAsync(HttpMethod.Post, $"_emulator/characters/{id}/finish", """{"outcome":"ready"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("synthesizing", (await h.GetAsync(id)).State);
    }

    [Fact]
    public async Task A_broken_chunked_body_is_a_400_envelope_not_a_500()
    {
        await using var h = await Harness.StartAsync();
        var response = await h.SendRawAsync("POST /v1/characters HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + Harness.TeamA
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.Contains("Request-Id: req_", response);
        Assert.Contains("\"code\":\"invalid_request\"", response);
        Assert.Empty((await h.LedgerAsync()).Charges);
    }
}
