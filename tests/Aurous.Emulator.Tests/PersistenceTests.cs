using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Aurous.Emulator.Tests;

/// <summary>A temporary --data folder, deleted with everything in it when the test ends.</summary>
internal sealed class DataFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aurous-emulator-data-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>--data: an emulator restarted on the same folder (in this process) continues where it stopped.</summary>
public sealed class PersistenceTests
{
    private const string Suite = "al_live_emulator_suite_1";

    [Fact]
    public async Task Teams_characters_ledgers_and_keys_survive_a_restart_exactly()
    {
        using var data = new DataFolder();
        string ready, failed, deleted, reviewing;
        string before;
        await using (var h = await StartOn(data))
        {
            ready = await h.CreateReadyAsync();
            (await h.PatchAsync(ready, """{"name":"Renamed","attributes":{"age":31,"eye_color":"green","additional_details":"scar"}}""")).AssertStatus(HttpStatusCode.OK);
            (await h.RegenerateAsync(ready, "other", key: "regen-1")).AssertStatus(HttpStatusCode.OK);
            await h.FinishAsync(ready, "reviewing");
            failed = (await h.CreateAsync("Broken", key: "create-failed", apiKey: Suite)).Id;
            await h.FinishAsync(failed, "failed", "GPU on fire");
            deleted = await h.CreateReviewingAsync();
            (await h.DeleteAsync(deleted)).AssertStatus(HttpStatusCode.OK);
            reviewing = await h.CreateReviewingAsync(EmulatorDefaults.TeamBKey);
            await h.SetCreditsAsync(77, "quiet_team");
            before = await EverythingAsync(h, [ready, failed, deleted, reviewing]);
        }

        await using (var h = await StartOn(data))
        {
            Assert.Equal(before, await EverythingAsync(h, [ready, failed, deleted, reviewing]));
            (await h.GetAsync(deleted)).AssertError(HttpStatusCode.NotFound, "resource_not_found");

            // Keys replay as before, without a second charge, and still refuse another body.
            var replay = (await h.CreateAsync("Broken", key: "create-failed", apiKey: Suite)).AssertStatus(HttpStatusCode.Created);
            Assert.True(replay.Replayed);
            Assert.Equal(failed, replay.Id);
            Assert.True((await h.RegenerateAsync(ready, "other", key: "regen-1")).AssertStatus(HttpStatusCode.OK).Replayed);
            (await h.CreateAsync("Another", key: "create-failed", apiKey: Suite)).AssertError(HttpStatusCode.Conflict, "idempotency_key_in_use");
            Assert.Single((await h.LedgerAsync("suite_1")).Charges);
            Assert.Equal(77, (await h.LedgerAsync("quiet_team")).Credits);

            // And the emulator goes on from there.
            var next = await h.CreateReviewingAsync();
            Assert.Equal(4, (await h.LedgerAsync()).Charges.Count);
            Assert.Equal("reviewing", (await h.GetAsync(next)).State);
        }
    }

    [Fact]
    public async Task A_synthesis_running_at_the_stop_goes_on_by_the_emulator_clock_after_the_restart()
    {
        using var data = new DataFolder();
        string id;
        await using (var h = await StartOn(data, o => o.SynthesisSeconds = 600))
        {
            id = (await h.CreateAsync()).AssertStatus(HttpStatusCode.Created).Id;
            await h.AdvanceAsync(400);
        }

        await using (var h = await StartOn(data, o => o.SynthesisSeconds = 600))
        {
            Assert.True(h.Server.Clock.Offset >= TimeSpan.FromSeconds(400));
            Assert.Equal("synthesizing", (await h.GetAsync(id)).State);
            await h.AdvanceAsync(200);
            var done = (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
            Assert.Equal("reviewing", done.State);
            Assert.Equal(4, done.Json.GetProperty("refs").GetArrayLength());
        }
    }

    [Fact]
    public async Task An_advance_of_the_programmatic_clock_is_kept_when_the_server_is_disposed()
    {
        using var data = new DataFolder();
        await using (var h = await StartOn(data))
        {
            h.Server.Clock.Advance(TimeSpan.FromHours(2));
        }

        await using (var h = await StartOn(data))
        {
            Assert.True(h.Server.Clock.Offset >= TimeSpan.FromHours(2));
        }
    }

    [Fact]
    public async Task Ref_urls_handed_out_before_a_restart_still_open_after_it()
    {
        using var data = new DataFolder();
        string url;
        await using (var h = await StartOn(data))
        {
            var id = await h.CreateReviewingAsync();
            url = new Uri((await h.GetAsync(id)).Json.GetProperty("refs")[1].GetProperty("url").GetString()!).PathAndQuery;
        }

        await using (var h = await StartOn(data))
        {
            using var image = await h.Http.GetAsync(url.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Keys_past_the_replay_window_are_not_replayed_after_a_restart()
    {
        using var data = new DataFolder();
        string first;
        await using (var h = await StartOn(data))
        {
            first = (await h.CreateAsync(key: "old")).Id;
            await h.AdvanceAsync(TimeSpan.FromHours(25).TotalSeconds);
        }

        await using (var h = await StartOn(data))
        {
            var again = (await h.CreateAsync(key: "old")).AssertStatus(HttpStatusCode.Created);
            Assert.False(again.Replayed);
            Assert.NotEqual(first, again.Id);
        }
    }

    [Fact]
    public async Task Both_resets_are_kept()
    {
        using var data = new DataFolder();
        string mine, theirs;
        await using (var h = await StartOn(data))
        {
            mine = (await h.CreateAsync(key: "k", apiKey: Suite)).Id;
            theirs = (await h.CreateAsync(key: "k")).Id;
            (await h.ControlAsync(HttpMethod.Post, "_emulator/teams/suite_1/reset")).AssertStatus(HttpStatusCode.OK);
        }

        await using (var h = await StartOn(data))
        {
            (await h.ControlAsync(HttpMethod.Get, $"_emulator/characters/{mine}")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
            Assert.Equal(1000, (await h.LedgerAsync("suite_1")).Credits);
            Assert.False((await h.CreateAsync(key: "k", apiKey: Suite)).Replayed);
            Assert.True((await h.CreateAsync(key: "k")).Replayed);
            await h.AdvanceAsync(60);
            (await h.ControlAsync(HttpMethod.Post, "_emulator/reset")).AssertStatus(HttpStatusCode.OK);
        }

        await using (var h = await StartOn(data))
        {
            Assert.Equal(TimeSpan.Zero, h.Server.Clock.Offset);
            (await h.ControlAsync(HttpMethod.Get, $"_emulator/characters/{theirs}")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
            Assert.Empty((await h.LedgerAsync()).Charges);
            Assert.False((await h.CreateAsync(key: "k")).Replayed);
        }
    }

    [Fact]
    public async Task A_folder_in_use_by_another_emulator_is_refused_naming_the_folder()
    {
        using var data = new DataFolder();
        await using var first = await StartOn(data);
        var ex = await Assert.ThrowsAsync<DataFolderException>(() => EmulatorServer.StartAsync(new EmulatorOptions { DataPath = data.Path }));
        Assert.Contains(data.Path, ex.Message);
        Assert.Contains("another emulator", ex.Message);
        (await first.CreateAsync()).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_database_from_a_newer_emulator_is_refused_rather_than_misread()
    {
        using var data = new DataFolder();
        await using (await StartOn(data))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(data.Path, SqliteStateStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<DataFolderException>(() => EmulatorServer.StartAsync(new EmulatorOptions { DataPath = data.Path }));
        Assert.Contains("newer emulator", ex.Message);
    }

    [Fact]
    public async Task A_missing_folder_is_created()
    {
        using var data = new DataFolder();
        var nested = System.IO.Path.Combine(data.Path, "a", "b");
        await using (var h = await Harness.StartAsync(o => o.DataPath = nested))
        {
            (await h.CreateAsync()).AssertStatus(HttpStatusCode.Created);
        }

        Assert.True(File.Exists(System.IO.Path.Combine(nested, SqliteStateStore.FileName)));
    }

    private static Task<Harness> StartOn(DataFolder data, Action<EmulatorOptions>? configure = null) =>
        Harness.StartAsync(o =>
        {
            o.DataPath = data.Path;
            configure?.Invoke(o);
        });

    /// <summary>
    /// Everything the control surface shows of the given characters and the teams touched, with the server's own address
    /// and each read's fresh URL token cut out, so two servers holding the same state print the same text.
    /// </summary>
    private static async Task<string> EverythingAsync(Harness h, IEnumerable<string> ids)
    {
        var parts = new List<string>();
        foreach (var id in ids)
        {
            parts.Add(await h.SnapshotAsync(id));
        }

        foreach (var team in new[] { EmulatorDefaults.TeamA, EmulatorDefaults.TeamB, "suite_1", "quiet_team" })
        {
            parts.Add((await h.ControlAsync(HttpMethod.Get, $"_emulator/teams/{team}/ledger")).Text);
        }

        var list = (await h.SendAsync(HttpMethod.Get, "v1/characters?limit=100")).AssertStatus(HttpStatusCode.OK).Text;
        parts.Add(Regex.Replace(list, @"\?token=[^""]*", ""));
        return string.Join("\n", parts).Replace(h.Server.BaseUri.ToString(), "/", StringComparison.Ordinal);
    }
}
