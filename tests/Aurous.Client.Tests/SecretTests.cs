using System.Text.Json;
using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>Issue 3: a canary key never appears in a log line, an exception, a ToString or a serialised object.</summary>
public class SecretTests
{
    [Fact]
    public async Task The_team_key_never_leaks_through_a_session_of_successes_retries_drops_and_errors()
    {
        const string key = EmulatorDefaults.TeamAKey;
        await using var emulator = await TestEmulator.StartAsync();
        var options = emulator.Options(key);
        using var client = new AurousClient(options);
        var seen = new List<string> { options.ToString(), client.ToString()!, JsonSerializer.Serialize(options) };

        await emulator.FaultAsync("*", "error_500", count: 1);
        await emulator.FaultAsync("*", "drop_after_commit", count: 1);
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Canary", Attributes = new CharacterAttributes { HairColor = "gold" } });
        var fetched = await client.GetCharacterAsync(created.Id);
        await client.UpdateCharacterAsync(created.Id, new CharacterUpdate { Name = "Canary 2" });
        await foreach (var result in client.WaitForCharactersAsync(new[] { created.Id }))
        {
            seen.Add(JsonSerializer.Serialize(result));
        }

        seen.AddRange(new object[] { created, fetched, created.LastResponse!, fetched.Refs[0] }.Select(o => o.ToString()!));
        seen.Add(JsonSerializer.Serialize(fetched));
        foreach (var failing in new Func<Task>[]
        {
            () => client.GetCharacterAsync("char_00000000000000000000000000"),
            () => client.SaveCharacterAsync("char_00000000000000000000000000"),
            () => client.UpdateCharacterAsync(created.Id, new CharacterUpdate { Name = "" }),
        })
        {
            var error = await Assert.ThrowsAnyAsync<AurousException>(failing);
            seen.Add(error.ToString());
        }

        seen.AddRange(emulator.Lines());
        Assert.True(emulator.Lines().Count() > 10);
        Assert.All(seen, text => Assert.DoesNotContain(key, text));
        Assert.All(emulator.Lines(), line => Assert.DoesNotMatch(@"token=(?!\*\*\*)", line));
        Assert.Contains(emulator.Lines(AurousLogLevel.Debug), line => line.Contains("?token=***"));
    }

    [Fact]
    public async Task A_rejected_canary_key_of_any_shape_is_kept_out_of_the_error_and_the_log()
    {
        await using var emulator = await TestEmulator.StartAsync();
        foreach (var canary in new[] { "al_live_canary_5b9f3c2a77e14d0c9e", "sk-canary-5b9f3c2a77e14d0c9e" })
        {
            var options = emulator.Options(canary);
            using var client = new AurousClient(options);

            var error = await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_1"));

            Assert.Equal(AurousErrors.AuthenticationFailed, error.ErrorId);
            Assert.DoesNotContain(canary, error.ToString());
            Assert.DoesNotContain(canary, options.ToString());
            Assert.DoesNotContain(canary, JsonSerializer.Serialize(options));
        }

        Assert.NotEmpty(emulator.Lines());
        Assert.All(emulator.Lines(), line => Assert.DoesNotContain("canary-5b9f", line));
        Assert.All(emulator.Lines(), line => Assert.DoesNotContain("canary_5b9f", line));
    }
}
