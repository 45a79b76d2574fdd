namespace Aurous.Client.Tests;

/// <summary>Listing against the emulator: automatic paging, filters, early stop, and what each costs in calls.</summary>
public sealed class ListingTests
{
    private static async Task<List<string>> CreateAsync(AurousClient client, params string[] names)
    {
        var ids = new List<string>();
        foreach (var name in names)
        {
            ids.Add((await client.CreateCharacterAsync(new CharacterCreate { Name = name })).Id);

            // A distinct creation millisecond each, so newest-first order is creation order reversed.
            await Task.Delay(2);
        }

        return ids;
    }

    private static int ListCalls(TestEmulator emulator) =>
        emulator.Lines(AurousLogLevel.Verbose).Count(l => l.StartsWith("GET /v1/characters?", StringComparison.Ordinal));

    [Fact]
    public async Task Every_character_comes_back_newest_first_across_pages()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var ids = await CreateAsync(client, "One", "Two", "Three", "Four", "Five");

        var listed = await client.ListCharactersAsync(new CharacterListOptions { PageSize = 2 }).ToListAsync();

        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(c => c.Id));
        Assert.Equal(new[] { "Five", "Four", "Three", "Two", "One" }, listed.Select(c => c.Name));
        Assert.All(listed, c => Assert.Equal(4, c.Refs.Count));
        Assert.Equal(3, ListCalls(emulator));
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith($"GET /v1/characters?limit=2&starting_after={ids[1]} -> 200", StringComparison.Ordinal));
        Assert.All(listed, c => Assert.StartsWith("req_", c.LastResponse!.RequestId));
    }

    [Fact]
    public async Task Status_and_custom_filters_apply_to_every_page()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var ids = await CreateAsync(client, "Aurora", "Nova", "Aurelia", "Vega");
        await client.SaveCharacterAsync(ids[0]);
        await client.SaveCharacterAsync(ids[1]);
        await client.SaveCharacterAsync(ids[2]);

        var ready = await client.ListCharactersAsync(new CharacterListOptions { PageSize = 1, Statuses = new[] { CharacterStatus.Ready } }).ToListAsync();
        var readyAu = await client.ListCharactersAsync(new CharacterListOptions
        {
            Statuses = new[] { CharacterStatus.Ready },
            Where = c => c.Name.StartsWith("Au", StringComparison.Ordinal),
        }).ToListAsync();
        var reviewing = await client.ListCharactersAsync(new CharacterListOptions { Statuses = new[] { CharacterStatus.Reviewing } }).ToListAsync();

        Assert.Equal(new[] { ids[2], ids[1], ids[0] }, ready.Select(c => c.Id));
        Assert.Equal(new[] { ids[2], ids[0] }, readyAu.Select(c => c.Id));
        Assert.Equal(ids[3], Assert.Single(reviewing).Id);
    }

    [Fact]
    public async Task Stopping_early_requests_no_further_page()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await CreateAsync(client, "A", "B", "C", "D", "E");

        var firstThree = await client.ListCharactersAsync(new CharacterListOptions { PageSize = 2 }).Take(3).ToListAsync();

        Assert.Equal(3, firstThree.Count);
        Assert.Equal(2, ListCalls(emulator));
    }

    [Fact]
    public async Task Deleted_characters_are_not_listed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var ids = await CreateAsync(client, "Kept", "Gone");
        await client.DeleteCharacterAsync(ids[1]);

        var listed = await client.ListCharactersAsync().ToListAsync();

        Assert.Equal(ids[0], Assert.Single(listed).Id);
    }

    [Fact]
    public async Task A_500_on_a_page_is_retried_and_the_listing_goes_on()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        await CreateAsync(client, "A", "B", "C");
        await emulator.FaultAsync("list", "error_500", count: 1);

        var listed = await client.ListCharactersAsync(new CharacterListOptions { PageSize = 2 }).ToListAsync();

        Assert.Equal(3, listed.Count);
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith("Retrying GET /v1/characters in ", StringComparison.Ordinal) && l.Contains(" after 500 "));
    }

    [Fact]
    public async Task Pages_draw_from_the_client_side_characters_get_bucket()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.RateLimits.CharactersGet = new AurousBucketLimit(2, 600));
        await CreateAsync(client, "A", "B", "C");

        var listed = await client.ListCharactersAsync(new CharacterListOptions { PageSize = 1 }).ToListAsync();

        Assert.Equal(3, listed.Count);
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith("GET /v1/characters?", StringComparison.Ordinal) && l.Contains("for bucket characters_get]"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_page_size_outside_1_to_100_is_refused_before_any_request(int pageSize)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var refused = Assert.Throws<AurousValidationException>(() => client.ListCharactersAsync(new CharacterListOptions { PageSize = pageSize }));
        var refusedPage = await Assert.ThrowsAsync<AurousValidationException>(() => client.ListCharactersPageAsync(pageSize));

        Assert.Contains("1 to 100", refused.Message);
        Assert.Equal(refused.Message, refusedPage.Message);
        Assert.Empty(emulator.Log);
    }

    [Fact]
    public async Task One_page_reports_has_more_and_continues_after_a_cursor()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var ids = await CreateAsync(client, "A", "B", "C");

        var first = await client.ListCharactersPageAsync(2);
        var second = await client.ListCharactersPageAsync(2, first.Data![^1].Id);

        Assert.True(first.HasMore);
        Assert.Equal(new[] { ids[2], ids[1] }, first.Data.Select(c => c.Id));
        Assert.False(second.HasMore);
        Assert.Equal(ids[0], Assert.Single(second.Data!).Id);
        Assert.Equal(200, second.LastResponse!.StatusCode);
    }
}
