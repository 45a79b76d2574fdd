using System.Net;
using System.Net.Sockets;
using Aurous.Client.Http;
using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>The emulator's control client (what Reset-AurousEmulator and the other emulator commands call), and the bucket reset it does.</summary>
public class EmulatorControlTests
{
    [Fact]
    public async Task Finishes_a_synthesis_reads_the_ledger_sets_credits_and_resets_one_team()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SynthesisSeconds = 3600);
        var control = new AurousEmulatorControl(emulator.Server.BaseUri);
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Finished" });

        var failed = await control.FinishSynthesisAsync(created.Id, failed: true, "GPU on fire", default);
        var ledger = await control.GetLedgerAsync(AurousEmulatorTeams.TeamA, default);
        await control.SetCreditsAsync(AurousEmulatorTeams.TeamB, 3, default);
        var other = await control.GetLedgerAsync(AurousEmulatorTeams.TeamB, default);
        await control.ResetAsync(AurousEmulatorTeams.TeamA, default);

        Assert.Equal(("Failed", "GPU on fire"), (failed.Status, failed.ErrorMessage));
        Assert.Equal((996, 4), (ledger.Credits, ledger.Spent));
        Assert.Equal(("create", created.Id, 4), (ledger.Charges[0].Route, ledger.Charges[0].CharacterId, ledger.Charges[0].Generations));
        Assert.Equal(3, other.Credits);
        Assert.Equal((1000, 0), ((await control.GetLedgerAsync(AurousEmulatorTeams.TeamA, default)).Credits, (await control.GetLedgerAsync(AurousEmulatorTeams.TeamA, default)).Charges.Count));
        Assert.Equal(3, (await control.GetLedgerAsync(AurousEmulatorTeams.TeamB, default)).Credits);
    }

    [Fact]
    public async Task Moves_the_clock_and_adds_and_clears_faults()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var control = new AurousEmulatorControl(emulator.Server.BaseUri);
        using var client = emulator.Client(o => o.Retry = new AurousRetryPolicy { MaxAttempts = 1 });
        var id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Faulted" })).Id;

        var clock = await control.AdvanceClockAsync(TimeSpan.FromMinutes(2), default);
        await control.AddFaultAsync(new AurousEmulatorFault { Route = "get", Kind = "error_500", Count = 1 }, default);
        var faulted = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync(id));
        await control.AddFaultAsync(new AurousEmulatorFault { Route = "get", Kind = "error_500", Rate = 1 }, default);
        await control.ClearFaultsAsync(default);
        await client.GetCharacterAsync(id);

        Assert.Equal(TimeSpan.FromMinutes(2), clock.Offset);
        Assert.InRange(clock.Now - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(140));
        Assert.Equal(AurousErrors.ServerError, faulted.ErrorId);
    }

    [Fact]
    public async Task A_refusal_keeps_the_emulators_words_and_the_ErrorId_of_its_code()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SynthesisSeconds = 3600);
        var control = new AurousEmulatorControl(emulator.Server.BaseUri);

        var missing = await Assert.ThrowsAsync<AurousException>(() => control.FinishSynthesisAsync("char_01K0000000000000000000000", failed: false, null, default));
        var fault = await Assert.ThrowsAsync<AurousException>(() => control.AddFaultAsync(new AurousEmulatorFault { Route = "get", Kind = "delay", Count = 1 }, default));

        Assert.Equal(AurousErrors.CharacterNotFound, missing.ErrorId);
        Assert.StartsWith("Character char_01K0000000000000000000000: ", missing.Message);
        Assert.Equal(AurousErrors.InvalidRequest, fault.ErrorId);
        Assert.Contains("delay_ms", fault.Message);
        Assert.Contains($"POST /_emulator/faults to the emulator at {AurousMessages.Server(emulator.Server.BaseUri)}", fault.Message);
    }

    [Theory]
    [InlineData("https://api.aurous-labs.com/")]
    [InlineData("http://192.0.2.10:5080/")]
    public void Refuses_anything_but_a_loopback_emulator(string uri)
    {
        var refused = Assert.Throws<AurousConfigurationException>(() => new AurousEmulatorControl(new Uri(uri)));

        Assert.Equal(AurousErrors.NotAnEmulator, refused.ErrorId);
        Assert.Contains("is not an emulator on this machine", refused.Message);
    }

    [Fact]
    public async Task A_loopback_server_without_the_control_routes_is_not_an_emulator()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answering = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.ReceiveAsync(new byte[4096], SocketFlags.None);
            await socket.SendAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
        });

        var refused = await Assert.ThrowsAsync<AurousException>(() => new AurousEmulatorControl(new Uri($"http://127.0.0.1:{port}/")).ClearFaultsAsync(default));
        await answering;

        Assert.Equal(AurousErrors.NotAnEmulator, refused.ErrorId);
    }

    [Fact]
    public async Task A_bucket_reset_empties_one_keys_buckets_in_this_process_and_its_state_files_and_leaves_other_keys_alone()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var tight = new AurousBucketLimit(3, 6); // two tokens after the latency allowance, then one every 10 s
        using var teamA = emulator.Client(o => o.RateLimits.CharactersSynthesize = tight);
        using var teamB = emulator.Client(o =>
        {
            o.ApiKey = EmulatorDefaults.TeamBKey;
            o.RateLimits.CharactersSynthesize = tight;
        });
        foreach (var client in new[] { teamA, teamB, teamA, teamB })
        {
            await client.CreateCharacterAsync(new CharacterCreate { Name = "Drained" });
        }

        var files = Directory.GetFiles(emulator.BucketStateDirectory);
        RateLimiterRegistry.Reset(emulator.Server.BaseUri, EmulatorDefaults.TeamAKey, emulator.BucketStateDirectory);
        var left = Directory.GetFiles(emulator.BucketStateDirectory);
        var before = emulator.Log.Count;
        await teamA.CreateCharacterAsync(new CharacterCreate { Name = "Full again" });
        await teamA.CreateCharacterAsync(new CharacterCreate { Name = "Full again" });

        Assert.Equal(2, files.Length);
        Assert.Equal(new[] { BucketStateFile.FileName(RateLimiterRegistry.Scope(emulator.Server.BaseUri, EmulatorDefaults.TeamBKey), AurousRateLimits.CharactersSynthesizeBucket) }, left.Select(Path.GetFileName));
        Assert.DoesNotContain(emulator.Log.Skip(before), e => e.Message.StartsWith("Waiting ", StringComparison.Ordinal));
        var options = emulator.Options();
        var (taken, _) = await RateLimiterRegistry.Get(RateLimiterRegistry.Scope(emulator.Server.BaseUri, EmulatorDefaults.TeamBKey), AurousRateLimits.CharactersSynthesizeBucket, options.RateLimits)
            .ApplyAsync(new BucketChange(BucketOperation.Take, tight, DateTimeOffset.UtcNow), new AurousRequestContext(options, "", null, null, true, "xunit"));
        var wait = taken.Wait;
        Assert.True(wait > TimeSpan.FromSeconds(5), $"team B's bucket was reset too: a token after {wait}");
    }

    [Fact]
    public void Arguments_are_quoted_so_the_emulator_gets_each_one_unchanged()
    {
        Assert.Equal("--data", ProcessArguments.Quote("--data"));
        Assert.Equal("\"/tmp/my data\"", ProcessArguments.Quote("/tmp/my data"));
        Assert.Equal("\"a\\\"b\"", ProcessArguments.Quote("a\"b"));
        Assert.Equal("\"C:\\my data\\\\\"", ProcessArguments.Quote("C:\\my data\\"));
        Assert.Equal("\"\"", ProcessArguments.Quote(""));
    }

    [Fact]
    public void Team_keys_name_their_team_and_new_teams_never_repeat()
    {
        Assert.Equal("al_live_emulator_team_a", AurousEmulatorTeams.KeyFor("team_a"));
        Assert.Equal("team_b", AurousEmulatorTeams.TeamOf("al_live_emulator_team_b"));
        Assert.Null(AurousEmulatorTeams.TeamOf("al_live_production_key_1234"));
        Assert.Null(AurousEmulatorTeams.TeamOf("al_live_emulator_bad-name"));
        Assert.Equal(AurousErrors.InvalidConfiguration, Assert.Throws<AurousValidationException>(() => AurousEmulatorTeams.KeyFor("no spaces")).ErrorId);
        var names = Enumerable.Range(0, 100).Select(_ => AurousEmulatorTeams.NewName()).ToList();
        Assert.Equal(100, names.Distinct().Count());
        Assert.All(names, n => Assert.True(AurousEmulatorTeams.IsValidName(n)));
    }

    [Fact]
    public void A_missing_tool_is_named_with_the_lines_that_install_it()
    {
        var missing = Assert.Throws<AurousConfigurationException>(() => AurousEmulatorTool.Locate(Path.Combine(Path.GetTempPath(), "no-such-folder", "aurous-emulator")));

        Assert.Equal(AurousErrors.EmulatorNotInstalled, missing.ErrorId);
        Assert.Equal(AurousErrorCategory.NotInstalled, missing.Category);
        Assert.Contains("dotnet tool install --global Aurous.Emulator --add-source", missing.Message);
        Assert.Contains("--version 0.1.0", missing.Message);
        Assert.Contains(".NET 10 SDK", missing.Message);
    }
}
