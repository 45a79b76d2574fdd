using System.Net;
using System.Text.Json;

namespace Aurous.Emulator.Tests;

/// <summary>GET /v1/characters: the inferred Stripe list shape, newest first, cursor paging, limits and isolation.</summary>
public sealed class ListTests
{
    private static List<string> Ids(ApiResponse page) =>
        page.Json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();

    private static bool HasMore(ApiResponse page) => page.Json.GetProperty("has_more").GetBoolean();

    private static Task<ApiResponse> ListAsync(Harness h, string query = "", string? apiKey = Harness.TeamA) =>
        h.SendAsync(HttpMethod.Get, "v1/characters" + query, apiKey: apiKey);

    /// <summary>Creates characters one clock millisecond apart, so their order is their creation order.</summary>
    private static async Task<List<string>> CreateInOrderAsync(Harness h, int count, string apiKey = Harness.TeamA)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await h.CreateAsync($"Listed {i}", apiKey: apiKey)).AssertStatus(HttpStatusCode.Created).Id);
            await h.AdvanceAsync(0.001);
        }

        return ids;
    }

    [Fact]
    public async Task A_page_is_a_Stripe_list_of_full_characters()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();

        var page = (await ListAsync(h)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("list", page.Json.GetProperty("object").GetString());
        Assert.Equal("/v1/characters", page.Json.GetProperty("url").GetString());
        Assert.False(HasMore(page));
        var character = Assert.Single(page.Json.GetProperty("data").EnumerateArray().ToList());
        var single = (await h.GetAsync(id)).Json;
        foreach (var property in single.EnumerateObject().Where(p => p.Name != "refs"))
        {
            Assert.Equal(property.Value.GetRawText(), character.GetProperty(property.Name).GetRawText());
        }

        Assert.Equal("reviewing", character.GetProperty("status").GetString());
        var refs = character.GetProperty("refs").EnumerateArray().ToList();
        Assert.Equal(new[] { "portrait", "front", "side", "back" }, refs.Select(r => r.GetProperty("pose").GetString()));
        var image = await h.Http.GetAsync(refs[0].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("req_", page.Header("Request-Id"));
    }

    [Fact]
    public async Task Newest_first_ten_by_default_and_starting_after_continues_without_gaps_or_repeats()
    {
        await using var h = await Harness.StartAsync();
        var created = await CreateInOrderAsync(h, 12);
        created.Reverse();

        var first = (await ListAsync(h)).AssertStatus(HttpStatusCode.OK);
        var second = (await ListAsync(h, $"?limit=5&starting_after={Ids(first)[^1]}")).AssertStatus(HttpStatusCode.OK);
        var last = (await ListAsync(h, $"?starting_after={Ids(second)[^1]}&limit=5")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(created.Take(10), Ids(first));
        Assert.True(HasMore(first));
        Assert.Equal(created.Skip(10), Ids(second));
        Assert.False(HasMore(second));
        Assert.Empty(Ids(last));
        Assert.False(HasMore(last));
    }

    [Fact]
    public async Task A_page_exactly_at_the_end_says_there_is_no_more()
    {
        await using var h = await Harness.StartAsync();
        await CreateInOrderAsync(h, 3);

        Assert.False(HasMore((await ListAsync(h, "?limit=3")).AssertStatus(HttpStatusCode.OK)));
        Assert.True(HasMore((await ListAsync(h, "?limit=2")).AssertStatus(HttpStatusCode.OK)));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?limit=-1")]
    [InlineData("?limit=ten")]
    [InlineData("?limit=")]
    [InlineData("?limit=1.5")]
    [InlineData("?limit=5&limit=6")]
    public async Task A_limit_outside_1_to_100_is_a_400_naming_limit(string query)
    {
        await using var h = await Harness.StartAsync();

        var refused = (await ListAsync(h, query)).AssertError(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal("limit", refused.ErrorParam);
        Assert.Contains("1 to 100", refused.ErrorMessage);
    }

    [Fact]
    public async Task The_limit_bounds_themselves_are_accepted()
    {
        await using var h = await Harness.StartAsync();
        await CreateInOrderAsync(h, 2);

        Assert.Single(Ids((await ListAsync(h, "?limit=1")).AssertStatus(HttpStatusCode.OK)));
        Assert.Equal(2, Ids((await ListAsync(h, "?limit=100")).AssertStatus(HttpStatusCode.OK)).Count);
    }

    [Fact]
    public async Task An_unknown_query_parameter_is_a_400_naming_it()
    {
        await using var h = await Harness.StartAsync();

        var refused = (await ListAsync(h, "?status=ready")).AssertError(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal("status", refused.ErrorParam);
    }

    [Fact]
    public async Task Deleted_characters_are_left_out_but_still_work_as_a_cursor()
    {
        await using var h = await Harness.StartAsync();
        var ids = await CreateInOrderAsync(h, 3);
        (await h.DeleteAsync(ids[1])).AssertStatus(HttpStatusCode.OK);

        var all = (await ListAsync(h)).AssertStatus(HttpStatusCode.OK);
        var afterDeleted = (await ListAsync(h, $"?starting_after={ids[1]}")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(new[] { ids[2], ids[0] }, Ids(all));
        Assert.Equal(new[] { ids[0] }, Ids(afterDeleted));
    }

    [Fact]
    public async Task A_team_sees_only_its_own_characters_and_cannot_page_from_another_teams_id()
    {
        await using var h = await Harness.StartAsync();
        var mine = await CreateInOrderAsync(h, 2);
        var theirs = await CreateInOrderAsync(h, 2, Harness.TeamB);

        var a = (await ListAsync(h)).AssertStatus(HttpStatusCode.OK);
        var b = (await ListAsync(h, apiKey: Harness.TeamB)).AssertStatus(HttpStatusCode.OK);
        var foreignCursor = (await ListAsync(h, $"?starting_after={theirs[0]}")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        var unknownCursor = (await ListAsync(h, "?starting_after=char_01HXMQ7Z3K8Y2NABCDEFGHJKMR")).AssertError(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(mine.AsEnumerable().Reverse(), Ids(a));
        Assert.Equal(theirs.AsEnumerable().Reverse(), Ids(b));
        Assert.Equal("starting_after", foreignCursor.ErrorParam);
        Assert.Equal(unknownCursor.ErrorMessage.Replace("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR", "X"), foreignCursor.ErrorMessage.Replace(theirs[0], "X"));
    }

    [Fact]
    public async Task Listing_needs_a_key_and_settles_finished_syntheses()
    {
        await using var h = await Harness.StartAsync(o => o.SynthesisSeconds = 30);
        var id = (await h.CreateAsync()).Id;

        (await ListAsync(h, apiKey: null)).AssertError(HttpStatusCode.Unauthorized, "missing_api_key");
        Assert.Equal("synthesizing", (await ListAsync(h)).Json.GetProperty("data")[0].GetProperty("status").GetString());
        await h.AdvanceAsync(30);
        var settled = (await ListAsync(h)).Json.GetProperty("data")[0];

        Assert.Equal(id, settled.GetProperty("id").GetString());
        Assert.Equal("reviewing", settled.GetProperty("status").GetString());
        Assert.Equal(4, settled.GetProperty("refs").GetArrayLength());
    }

    [Fact]
    public async Task Listing_draws_from_the_characters_get_bucket_and_charges_no_credits()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersGet = new BucketShape(2, 60));
        var id = (await h.CreateAsync()).Id;

        (await ListAsync(h)).AssertStatus(HttpStatusCode.OK);
        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
        var limited = (await ListAsync(h)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");

        Assert.Contains("characters_get", limited.ErrorMessage);
        Assert.Equal("1", limited.Header("Retry-After"));
        (await h.GetAsync(id)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        var ledger = await h.LedgerAsync();
        Assert.Equal(1000 - 4, ledger.Credits);
        Assert.Single(ledger.Charges);
    }

    [Fact]
    public async Task The_list_route_takes_injected_faults_by_its_own_name()
    {
        await using var h = await Harness.StartAsync();
        await h.AddFaultAsync(new { route = "list", kind = "error_500", count = 1 });

        (await ListAsync(h)).AssertError(HttpStatusCode.InternalServerError, "internal_error");
        (await ListAsync(h)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_body_on_the_list_is_ignored_like_on_any_GET()
    {
        await using var h = await Harness.StartAsync();

        var page = (await h.SendAsync(HttpMethod.Get, "v1/characters", "not json")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Array, page.Json.GetProperty("data").ValueKind);
    }
}
