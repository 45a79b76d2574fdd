using System.Net;
using System.Text;
using System.Text.Json;

namespace Aurous.Emulator.Tests;

/// <summary>
/// The emulator never answers 500 to a caller's bytes: text that cannot be decoded, and requests over the size
/// limits, get a 4xx in the envelope (naming the field or header where it can), charge nothing, and leave the
/// Idempotency-Key free for the corrected request.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly byte[] InvalidByte = [0xFF];
    private static readonly byte[] TruncatedSequence = [0xC3];
    private static readonly byte[] OverlongSlash = [0xC0, 0xAF];
    private static readonly byte[] EncodedSurrogate = [0xED, 0xA0, 0x80];

    public static TheoryData<string, string, string?> UnpairedSurrogateEscapes => new()
    {
        { "create", """{"name":"a\ud800b"}""", "name" },
        { "create", """{"name":"A","attributes":{"hair_color":"\udc00"}}""", "attributes.hair_color" },
        { "create", """{"name":"A","attributes":{"\ud800":"x"}}""", "attributes" },
        { "create", """{"na\ud800me":"A"}""", null },
        { "update", """{"name":"a\ud800b"}""", "name" },
        { "update", """{"attributes":{"additional_details":"tall \ud83d"}}""", "attributes.additional_details" },
        { "regenerate", """{"pose":"front","prompt_override":"x\ud83dy"}""", "prompt_override" },
        { "regenerate", """{"pose":"\udfff"}""", "pose" },
        { "resynthesize", """{"force_all":"\ud800"}""", "force_all" },
    };

    [Theory]
    [MemberData(nameof(UnpairedSurrogateEscapes))]
    public async Task An_unpaired_surrogate_escape_is_a_400_naming_the_field(string route, string body, string? param)
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var before = await h.SnapshotAsync(id);

        var response = await SendAsync(h, route, id, new StringContent(body, Encoding.UTF8, "application/json"), key: "k1");

        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, response.ErrorParam);
        Assert.Contains("surrogate", response.ErrorMessage);
        Assert.Contains(param ?? "the body", response.ErrorMessage);
        await AssertNothingChangedAndKeyIsFreeAsync(h, route, id, before);
    }

    public static TheoryData<string, byte[], string> InvalidUtf8InAField => new()
    {
        { "create", Json("""{"name":"a@b"}""", InvalidByte), "name" },
        { "create", Json("""{"name":"A","attributes":{"eye_color":"gr@"}}""", EncodedSurrogate), "attributes.eye_color" },
        { "update", Json("""{"name":"Caf@"}""", TruncatedSequence), "name" },
        { "update", Json("""{"attributes":{"additional_details":"@"}}""", OverlongSlash), "attributes.additional_details" },
        { "regenerate", Json("""{"pose":"front","prompt_override":"@"}""", InvalidByte), "prompt_override" },
        { "regenerate", Json("""{"pose":"fr@ont"}""", OverlongSlash), "pose" },
        { "resynthesize", Json("""{"force_all":"@"}""", InvalidByte), "force_all" },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8InAField))]
    public async Task Invalid_utf8_inside_a_field_is_a_400_naming_the_field_and_the_byte(string route, byte[] body, string param)
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var before = await h.SnapshotAsync(id);

        var response = await SendAsync(h, route, id, new ByteArrayContent(body), key: "k1");

        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, response.ErrorParam);
        Assert.Contains("not valid UTF-8", response.ErrorMessage);
        var offset = Array.FindIndex(body, b => b >= 0x80);
        Assert.Contains($"0x{body[offset]:X2} at offset {offset}", response.ErrorMessage);
        await AssertNothingChangedAndKeyIsFreeAsync(h, route, id, before);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("update")]
    [InlineData("regenerate")]
    [InlineData("resynthesize")]
    public async Task Invalid_utf8_outside_any_field_is_a_400_that_says_so_and_names_the_body(string route)
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var before = await h.SnapshotAsync(id);
        var body = Json("{@}", InvalidByte);

        var response = await SendAsync(h, route, id, new ByteArrayContent(body), key: "k1");

        response.AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Null(response.ErrorParam);
        Assert.Contains("The request body is not valid UTF-8 (byte 0xFF at offset 1)", response.ErrorMessage);
        Assert.Contains("no single field", response.ErrorMessage);
        await AssertNothingChangedAndKeyIsFreeAsync(h, route, id, before);
    }

    [Fact]
    public async Task Text_that_decodes_is_still_accepted_escaped_pairs_and_raw_utf8_alike()
    {
        await using var h = await Harness.StartAsync();
        var created = (await h.SendAsync(HttpMethod.Post, "v1/characters", new ByteArrayContent(Json("""{"name":"Zo@ \ud83d\ude00"}""", [0xC3, 0xAB]))))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("Zoë 😀", created.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_long_bad_value_is_cut_in_the_message_without_splitting_a_character()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var pose = new string('x', 39) + "😀" + new string('y', 60);

        var response = (await h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/refs/regenerate", JsonSerializer.Serialize(new { pose })))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request");

        // Reading the message at all proves it holds no half character: System.Text.Json refuses to decode one.
        Assert.Contains($"\"{new string('x', 39)}…\"", response.ErrorMessage);
    }

    [Fact]
    public async Task A_body_over_64_KiB_with_a_length_is_413_in_the_envelope_and_charges_nothing()
    {
        await using var h = await Harness.StartAsync();
        var body = Json("""{"name":"@"}""", Encoding.ASCII.GetBytes(new string('x', 70_000)));

        var response = (await h.SendAsync(HttpMethod.Post, "v1/characters", new ByteArrayContent(body), idempotencyKey: "big"))
            .AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        Assert.Contains($"{body.Length} bytes", response.ErrorMessage);
        Assert.Contains("65536", response.ErrorMessage);
        Assert.Empty((await h.LedgerAsync()).Charges);
        (await h.CreateAsync(key: "big")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_64_KiB_is_413_too()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var body = Json("""{"name":"@"}""", Encoding.ASCII.GetBytes(new string('x', 70_000)));

        var response = (await h.SendAsync(HttpMethod.Patch, $"v1/characters/{id}", new ChunkedContent(body)))
            .AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        Assert.Contains("over 65536 bytes", response.ErrorMessage);
        Assert.Equal("Aurora", (await h.PeekAsync(id)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_many_megabyte_body_still_gets_its_413_rather_than_a_reset_connection()
    {
        await using var h = await Harness.StartAsync();
        var body = new byte[8 * 1024 * 1024];
        Array.Fill(body, (byte)'x');

        (await h.SendAsync(HttpMethod.Post, "v1/characters", new ByteArrayContent(body), idempotencyKey: "huge"))
            .AssertError(HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        // The connection is still usable, and the refused request charged nothing.
        Assert.Empty((await h.LedgerAsync()).Charges);
    }

    [Theory]
    [InlineData("v1/characters/{0}")]
    [InlineData("v1/characters/char_1?pad={0}")]
    [InlineData("_emulator/characters/{0}")]
    public async Task A_uri_over_8_KiB_is_414_in_the_envelope(string template)
    {
        await using var h = await Harness.StartAsync();
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('a', 9000));

        var response = (await h.SendAsync(HttpMethod.Get, path)).AssertError(HttpStatusCode.RequestUriTooLong, "uri_too_long");

        Assert.Contains("8192", response.ErrorMessage);
    }

    [Fact]
    public async Task A_uri_just_under_the_limit_is_still_served()
    {
        await using var h = await Harness.StartAsync();
        var path = "v1/characters/" + new string('a', RequestLimits.MaxUriBytes - "/v1/characters/".Length);
        (await h.SendAsync(HttpMethod.Get, path)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
    }

    [Fact]
    public async Task Headers_over_32_KiB_are_431_in_the_envelope_naming_the_largest()
    {
        await using var h = await Harness.StartAsync();

        var response = (await h.SendAsync(HttpMethod.Post, "v1/characters", """{"name":"A"}""", headers: ("X-Padding", new string('p', 40_000))))
            .AssertError(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");

        Assert.Equal("X-Padding", response.ErrorParam);
        Assert.Contains("32768", response.ErrorMessage);
        Assert.Empty((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task More_than_100_headers_are_431_in_the_envelope()
    {
        await using var h = await Harness.StartAsync();
        var headers = Enumerable.Range(0, 150).Select(i => ($"X-Extra-{i}", "1")).ToArray();

        var response = (await h.SendAsync(HttpMethod.Get, "v1/characters/char_1", headers: headers))
            .AssertError(HttpStatusCode.RequestHeaderFieldsTooLarge, "headers_too_large");

        Assert.Contains("at most 100", response.ErrorMessage);
    }

    [Theory]
    [InlineData("GET /v1/characters/{0} HTTP/1.1")]
    [InlineData("POST /_emulator/characters/{0}/finish HTTP/1.1")]
    public async Task A_host_header_no_url_can_hold_is_a_400_naming_it_and_changes_nothing(string requestLine)
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync()).Id;
        const string body = """{"outcome":"reviewing"}""";

        var response = await h.SendRawAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, requestLine, id)
            + $"\r\nHost: 127.0.0.1:99999\r\nX-Api-Key: {Harness.TeamA}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.Contains("\"param\":\"Host\"", response);
        Assert.Contains("127.0.0.1:99999", response);
        Assert.Equal("synthesizing", (await h.PeekAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public void Whatever_interpreting_a_body_throws_becomes_a_400_never_a_retryable_500()
    {
        // A document disposed under the reader is one real way for System.Text.Json to throw something
        // validation never anticipated; every body reader must turn it into a 400 all the same.
        JsonElement body;
        using (var document = JsonDocument.Parse("""{"name":"A","pose":"front"}"""))
        {
            body = document.RootElement;
        }

        foreach (var read in new Action[]
        {
            () => RequestBodies.Create(body),
            () => RequestBodies.Update(body),
            () => RequestBodies.Regenerate(body),
            () => RequestBodies.Resynthesize(body),
            () => EmulatorJson.Canonicalize(body),
        })
        {
            var refused = Assert.Throws<ApiException>(read);
            Assert.Equal(400, refused.Status);
            Assert.Equal("invalid_request", refused.Code);
            Assert.Contains(nameof(ObjectDisposedException), refused.Message);
        }
    }

    /// <summary>The template's UTF-8 bytes with <paramref name="raw"/> in place of its one '@'.</summary>
    private static byte[] Json(string template, byte[] raw)
    {
        var at = template.IndexOf('@', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. raw, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
    }

    private static Task<ApiResponse> SendAsync(Harness h, string route, string id, HttpContent content, string? key = null) => route switch
    {
        "create" => h.SendAsync(HttpMethod.Post, "v1/characters", content, idempotencyKey: key),
        "update" => h.SendAsync(HttpMethod.Patch, $"v1/characters/{id}", content, idempotencyKey: key),
        "regenerate" => h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/refs/regenerate", content, idempotencyKey: key),
        _ => h.SendAsync(HttpMethod.Post, $"v1/characters/{id}/resynthesize", content, idempotencyKey: key),
    };

    /// <summary>The refused request changed nothing, charged nothing, and the corrected request may reuse its key.</summary>
    private static async Task AssertNothingChangedAndKeyIsFreeAsync(Harness h, string route, string id, string before)
    {
        Assert.Equal(before, await h.SnapshotAsync(id));
        Assert.Single((await h.LedgerAsync()).Charges); // the create that made the character
        var valid = route switch
        {
            "create" or "update" => """{"name":"Fixed"}""",
            "regenerate" => """{"pose":"front"}""",
            _ => """{"force_all":true}""",
        };
        (await SendAsync(h, route, id, new StringContent(valid), key: "k1")).AssertStatus(route == "create" ? HttpStatusCode.Created : HttpStatusCode.OK);
    }

    /// <summary>Content without a length, so HttpClient sends it chunked and only reading tells its size.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
