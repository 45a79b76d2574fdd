using System.Diagnostics;
using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>
/// Issue 10: processes of one user sharing a team share its budget. A second copy of Aurous.Client, loaded into an
/// assembly load context of its own, has its own process-wide registry, exactly as another process would; the two
/// meet only in the state folder.
/// </summary>
public class SharedBucketTests
{
    // characters_get shaped as documented (a burst, then a steady rate), refilled fast enough for a test of seconds.
    internal static readonly BucketShape ServerShape = new(20, 1200);
    internal static readonly AurousBucketLimit ClientShape = new(20, 1200);
    internal const int GetsPerClient = 40;

    [Fact]
    public async Task Two_copies_of_the_client_with_one_state_folder_stay_inside_one_team_budget_together()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.CharactersGet = ServerShape);
        var id = await CreateAsync(emulator);
        var here = emulator.Client(o => o.RateLimits.CharactersGet = ClientShape);
        var there = new IsolatedClient(emulator, ClientShape, emulator.BucketStateDirectory);

        var stopwatch = Stopwatch.StartNew();
        var errors = await Task.WhenAll(GetManyAsync(id => here.GetCharacterAsync(id), id), GetManyAsync(there.GetAsync, id));
        var elapsed = stopwatch.Elapsed;

        Assert.Equal(new[] { 0, 0 }, errors);
        var server429s = emulator.Lines(AurousLogLevel.Verbose).Count(l => l.Contains("-> 429")) + there.Lines.Count(l => l.Contains("-> 429"));
        Assert.True(server429s <= 2, $"{server429s} 429s");
        var minimum = TimeSpan.FromSeconds((2 * GetsPerClient - ServerShape.Burst) / (ServerShape.PerMinute / 60.0));
        Assert.True(elapsed >= minimum * 0.9, $"{2 * GetsPerClient} gets took {elapsed.TotalSeconds:0.00} s, less than the budget allows ({minimum.TotalSeconds:0.00} s)");
        Assert.Contains(there.Lines, l => l.Contains("for bucket characters_get]"));
        Assert.Equal(2, Directory.GetFiles(emulator.BucketStateDirectory).Length); // characters_synthesize (the create) and characters_get
    }

    [Fact]
    public async Task The_same_load_with_a_state_folder_each_overruns_the_team_budget()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.CharactersGet = ServerShape);
        var id = await CreateAsync(emulator);
        var here = emulator.Client(o => o.RateLimits.CharactersGet = ClientShape);
        var there = new IsolatedClient(emulator, ClientShape, Path.Combine(emulator.BucketStateDirectory, "elsewhere"));

        await Task.WhenAll(GetManyAsync(id => here.GetCharacterAsync(id), id), GetManyAsync(there.GetAsync, id));

        var server429s = emulator.Lines(AurousLogLevel.Verbose).Count(l => l.Contains("-> 429")) + there.Lines.Count(l => l.Contains("-> 429"));
        Assert.True(server429s >= 5, $"only {server429s} 429s: the control run should overrun the server's bucket");
    }

    [Fact]
    public async Task An_unwritable_state_folder_falls_back_to_the_process_bucket_with_a_verbose_note()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var blocker = Path.Combine(emulator.BucketStateDirectory, "not-a-folder");
        Directory.CreateDirectory(emulator.BucketStateDirectory);
        await File.WriteAllTextAsync(blocker, "a file where the folder should be");
        using var client = emulator.Client(o => o.RateLimits.SharedStateDirectory = blocker);

        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Alone" });
        await client.GetCharacterAsync(created.Id);

        var notes = emulator.Lines(AurousLogLevel.Verbose).Where(l => l.Contains("is not shared with this user's other processes")).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Contains(notes, l => l.StartsWith($"The characters_synthesize bucket of {emulator.Server.BaseUri.Authority} is not shared"));
        Assert.All(notes, l => Assert.Contains("This process keeps to the limit on its own meanwhile.", l));
        Assert.All(notes, l => Assert.DoesNotContain("emulator_team_a", l));
    }

    internal static async Task<string> CreateAsync(TestEmulator emulator)
    {
        using var client = emulator.Client();
        return (await client.CreateCharacterAsync(new CharacterCreate { Name = "Shared" })).Id;
    }

    internal static async Task<int> GetManyAsync(Func<string, Task> get, string id)
    {
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < GetsPerClient / 4; i++)
            {
                try
                {
                    await get(id);
                }
                catch (Exception e) when (e.GetType().Name == nameof(AurousApiException))
                {
                    // By name: the other copy's exception is another type of the same name.
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return errors;
    }
}
