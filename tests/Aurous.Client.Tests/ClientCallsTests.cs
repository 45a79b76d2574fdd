using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>Each call against the real emulator: the result, what the ledger says, and the error a user gets.</summary>
public class ClientCallsTests
{
    [Fact]
    public async Task Create_get_update_save_regenerate_and_delete_round_trip()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var created = await client.CreateCharacterAsync(new CharacterCreate
        {
            Name = "Aurora",
            Attributes = new CharacterAttributes { Gender = "female", Age = 28, HairColor = "black", EyeColor = "brown" },
        });
        var fetched = await client.GetCharacterAsync(created.Id);
        var merged = fetched.Attributes!.MergeWith(new CharacterAttributes { HairColor = "red" });
        var updated = await client.UpdateCharacterAsync(created.Id, new CharacterUpdate { Name = "Aurora the Bold", Attributes = merged });
        var saved = await client.SaveCharacterAsync(created.Id);
        var regenerated = await client.RegenerateRefAsync(created.Id, new RegenerateRefRequest { Pose = CharacterPose.Side, PromptOverride = "studio light" });
        await client.DeleteCharacterAsync(created.Id);

        Assert.StartsWith("char_", created.Id);
        Assert.Equal(201, created.LastResponse!.StatusCode);
        Assert.Equal("Aurora", fetched.Name);
        Assert.Equal("Reviewing", fetched.Status);
        Assert.Equal(4, fetched.Refs.Count);
        Assert.Equal(new[] { "Portrait", "Front", "Side", "Back" }, fetched.Poses);
        Assert.Equal("Aurora the Bold", updated.Name);
        Assert.Equal(("red", "brown", 28), (updated.Attributes!.HairColor, updated.Attributes.EyeColor, updated.Attributes.Age));
        Assert.Equal("Ready", saved.Status);
        Assert.Equal("Synthesizing", regenerated.Status);
        var gone = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync(created.Id));
        Assert.Equal(AurousErrors.CharacterNotFound, gone.ErrorId);

        var ledger = await emulator.LedgerAsync();
        Assert.Equal(new[] { ("create", 4), ("regenerate", 1) }, ledger.Charges.Select(c => (c.Route, c.Generations)));
        Assert.Equal(1000 - 5, ledger.Credits);
        Assert.Equal(created.LastResponse.IdempotencyKey, ledger.Charges[0].IdempotencyKey);
        Assert.Equal(regenerated.LastResponse!.IdempotencyKey, ledger.Charges[1].IdempotencyKey);
    }

    [Fact]
    public async Task Verbose_lines_show_method_path_status_request_id_attempt_and_elapsed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Logged" });
        var fetched = await client.GetCharacterAsync(created.Id);

        var lines = emulator.Lines(AurousLogLevel.Verbose).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Matches(@"^POST /v1/characters -> 201 \(req_\w+\) attempt 1 in \d+ ms$", lines[0]);
        Assert.Equal($"GET /v1/characters/{created.Id} -> 200 ({fetched.LastResponse!.RequestId}) attempt 1", lines[1].Substring(0, lines[1].IndexOf(" in ")));
        Assert.Contains(created.LastResponse!.RequestId!, lines[0]);
        Assert.Contains(emulator.Lines(AurousLogLevel.Debug), l => l.Contains("request body: {\"name\":\"Logged\"}"));
        Assert.Contains(emulator.Lines(AurousLogLevel.Debug), l => l.Contains("response body:") && l.Contains("token=***"));
    }

    [Fact]
    public async Task A_caller_supplied_key_is_sent_and_a_repeat_is_a_replay_charged_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Twice" });

        var first = await client.ResynthesizeCharacterAsync(created.Id, new ResynthesizeRequest { IdempotencyKey = "nightly-2026-11-22-Twice" });
        var second = await client.ResynthesizeCharacterAsync(created.Id, new ResynthesizeRequest { IdempotencyKey = "nightly-2026-11-22-Twice" });

        Assert.False(first.LastResponse!.Replayed);
        Assert.True(second.LastResponse!.Replayed);
        Assert.Equal("nightly-2026-11-22-Twice", second.LastResponse.IdempotencyKey);
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.EndsWith("[replayed]"));
        Assert.Equal(2, (await emulator.LedgerAsync()).Charges.Count);
    }

    [Fact]
    public async Task Server_errors_map_to_the_table_with_the_request_id_in_the_message()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SynthesisSeconds = 600);
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Errors" });

        var notFound = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_00000000000000000000000000"));
        var notSavable = await Assert.ThrowsAsync<AurousApiException>(() => client.SaveCharacterAsync(created.Id));
        await emulator.FinishAsync(created.Id, "reviewing");
        await client.ResynthesizeCharacterAsync(created.Id, new ResynthesizeRequest { IdempotencyKey = "reused-key" });
        var keyInUse = await Assert.ThrowsAsync<AurousApiException>(() => client.RegenerateRefAsync(created.Id, new RegenerateRefRequest { Pose = CharacterPose.Back, IdempotencyKey = "reused-key" }));
        await emulator.SetCreditsAsync(0);
        await emulator.FinishAsync(created.Id, "reviewing");
        var broke = await Assert.ThrowsAsync<AurousApiException>(() => client.ResynthesizeCharacterAsync(created.Id));
        using var stranger = emulator.Client(o => o.ApiKey = "al_live_nobody_knows_this_key");
        var unauthorized = await Assert.ThrowsAsync<AurousApiException>(() => stranger.GetCharacterAsync(created.Id));

        Assert.Equal((404, AurousErrors.CharacterNotFound, AurousErrorCategory.ObjectNotFound), (notFound.StatusCode, notFound.ErrorId, notFound.Category));
        Assert.Equal("character_id", notFound.Param);
        Assert.Equal((400, AurousErrors.InvalidRequest, AurousErrorCategory.InvalidArgument), (notSavable.StatusCode, notSavable.ErrorId, notSavable.Category));
        Assert.Equal((409, AurousErrors.IdempotencyKeyInUse, AurousErrorCategory.ResourceExists), (keyInUse.StatusCode, keyInUse.ErrorId, keyInUse.Category));
        Assert.Equal((402, AurousErrors.InsufficientCredits, AurousErrorCategory.QuotaExceeded), (broke.StatusCode, broke.ErrorId, broke.Category));
        Assert.Equal((401, AurousErrors.AuthenticationFailed, AurousErrorCategory.AuthenticationError), (unauthorized.StatusCode, unauthorized.ErrorId, unauthorized.Category));
        foreach (var error in new[] { notFound, notSavable, keyInUse, broke, unauthorized })
        {
            Assert.StartsWith("req_", error.RequestId);
            Assert.Contains(error.RequestId!, error.Message);
            Assert.Equal(1, emulator.Lines(AurousLogLevel.Verbose).Count(l => l.Contains(error.RequestId!)));
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_before_any_request()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var errors = new[]
        {
            await Assert.ThrowsAsync<AurousValidationException>(() => client.GetCharacterAsync("../_emulator/reset")),
            await Assert.ThrowsAsync<AurousValidationException>(() => client.UpdateCharacterAsync("char_1", new CharacterUpdate { Name = new string('x', 81) })),
            await Assert.ThrowsAsync<AurousValidationException>(() => client.UpdateCharacterAsync("char_1", new CharacterUpdate())),
            await Assert.ThrowsAsync<AurousValidationException>(() => client.RegenerateRefAsync("char_1", new RegenerateRefRequest())),
            await Assert.ThrowsAsync<AurousValidationException>(() => client.ResynthesizeCharacterAsync("char_1", new ResynthesizeRequest { IdempotencyKey = "" })),
            await Assert.ThrowsAsync<AurousValidationException>(() => client.CreateCharacterAsync(new CharacterCreate { Name = "" })),
        };

        Assert.Equal(
            new[] { AurousErrors.InvalidCharacterId, AurousErrors.InvalidCharacterName, AurousErrors.EmptyUpdate, AurousErrors.InvalidPose, AurousErrors.InvalidIdempotencyKey, AurousErrors.InvalidCharacterName },
            errors.Select(e => e.ErrorId));
        Assert.Empty(emulator.Log);
        Assert.Empty((await emulator.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task The_version_pin_is_sent_and_transient_server_errors_are_retried_with_the_attempt_count_surfaced()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.ApiVersion = "2026-06-01");
        await emulator.FaultAsync("create", "error_500", count: 2);

        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Pinned" });

        Assert.Equal("2026-06-01", created.AurousVersion);
        Assert.Equal(3, created.LastResponse!.Attempts);
        Assert.Equal(2, emulator.Lines(AurousLogLevel.Verbose).Count(l => l.StartsWith("Retrying POST /v1/characters") && l.Contains("same Idempotency-Key")));
        Assert.Single((await emulator.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_and_the_error_says_so()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client(o => o.Retry.MaxAttempts = 3);
        await emulator.FaultAsync("get", "error_500", count: 5);

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_00000000000000000000000000"));

        Assert.Equal((500, AurousErrors.ServerError, AurousErrorCategory.ResourceUnavailable), (error.StatusCode, error.ErrorId, error.Category));
        Assert.Contains("after 3 attempts", error.Message);
    }

    [Fact]
    public async Task A_connection_failure_is_a_ConnectionError()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var deadPort = emulator.Server.BaseUri.Port;
        await emulator.DisposeAsync();
        using var client = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = new Uri($"http://127.0.0.1:{deadPort}/"),
            Retry = new AurousRetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1) },
        });

        var error = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_1"));

        Assert.Equal((0, AurousErrors.ConnectionFailed, AurousErrorCategory.ConnectionError), (error.StatusCode, error.ErrorId, error.Category));
        Assert.StartsWith($"Character char_1: Could not reach http://127.0.0.1:{deadPort} (GET /v1/characters/char_1, 2 attempts): ", error.Message);
        Assert.EndsWith("Check that the server is running and reachable from here (address, network, proxy, firewall), then run the command again.", error.Message);
        Assert.Equal("char_1", error.CharacterId);
    }
}
