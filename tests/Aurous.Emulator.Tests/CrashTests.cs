using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Aurous.Emulator.Tests;

/// <summary>
/// --data against real processes: the built emulator killed outright (SIGKILL, as kill -9) in the middle of a burst of
/// creates, then started again on the same folder.
/// </summary>
public sealed class CrashTests
{
    private const string Team = "crash";
    private const string Key = "al_live_emulator_crash";

    [Fact]
    public async Task After_a_kill_during_a_burst_every_character_that_got_a_201_is_there_charged_once_and_its_key_replays()
    {
        using var data = new DataFolder();
        var answered = new ConcurrentDictionary<string, string>(); // idempotency key -> character id, for every 201 read in full
        string[] options = ["--urls", "http://127.0.0.1:0", "--data", data.Path, "--synthesis-seconds", "600", "--rate-limit-multiplier", "100", "--credits", "10000"];

        await using (var emulator = ChildProcess.StartBuilt(options))
        {
            var (url, _) = await emulator.ReadBannerAsync();
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            var next = 0;
            var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                // Bounded: 400 creates at most in all, and the workers stop at the first failed connection.
                while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var n && n <= 400)
                {
                    var key = "burst-" + n.ToString(CultureInfo.InvariantCulture);
                    try
                    {
                        var (status, id) = await CreateAsync(http, key, n);
                        if (status == HttpStatusCode.Created)
                        {
                            answered[key] = id!;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return;
                    }
                }
            })).ToArray();

            while (answered.Count < 60 && !workers.All(w => w.IsCompleted))
            {
                await Task.Delay(5);
            }

            emulator.Process.Kill(); // SIGKILL on Unix: no shutdown code runs
            await emulator.Process.WaitForExitAsync();
            await Task.WhenAll(workers);
            Assert.True(answered.Count < 400, "the kill came after the burst had ended, so it proves nothing");
        }

        await using (var emulator = ChildProcess.StartBuilt(options))
        {
            var (url, banner) = await emulator.ReadBannerAsync();
            Assert.Contains($"state kept in {data.Path}", banner);
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(20) };

            var ledger = JsonDocument.Parse(await http.GetStringAsync($"_emulator/teams/{Team}/ledger")).RootElement;
            var charges = ledger.GetProperty("charges").EnumerateArray()
                .Select(c => (Key: c.GetProperty("idempotency_key").GetString()!, Id: c.GetProperty("character_id").GetString()!))
                .ToList();
            // Requests committed whose answer the kill cut off may be charged too; each key at most once.
            Assert.Equal(charges.Count, charges.Select(c => c.Key).Distinct().Count());
            Assert.Equal(10_000 - (4 * charges.Count), ledger.GetProperty("credits").GetInt32());
            foreach (var (key, id) in answered)
            {
                Assert.Equal(id, Assert.Single(charges, c => c.Key == key).Id);
                using var character = await http.GetAsync($"_emulator/characters/{id}");
                Assert.Equal(HttpStatusCode.OK, character.StatusCode);
            }

            // The keys replay without a second charge, and a running synthesis finishes by the emulator's clock.
            foreach (var (key, id) in answered.Take(10))
            {
                var n = int.Parse(key["burst-".Length..], CultureInfo.InvariantCulture);
                Assert.Equal((HttpStatusCode.Created, id), await CreateAsync(http, key, n));
            }

            var after = JsonDocument.Parse(await http.GetStringAsync($"_emulator/teams/{Team}/ledger")).RootElement;
            Assert.Equal(charges.Count, after.GetProperty("charges").GetArrayLength());

            var running = answered.First().Value;
            Assert.Equal("synthesizing", await StatusAsync(http, running));
            using (var advance = await http.PostAsync("_emulator/clock/advance", new StringContent("""{"seconds":600}""")))
            {
                Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
            }

            Assert.Equal("reviewing", await StatusAsync(http, running));
        }
    }

    private static async Task<(HttpStatusCode Status, string? Id)> CreateAsync(HttpClient http, string key, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/characters")
        {
            Content = new StringContent($$"""{"name":"Burst {{n}}"}"""),
        };
        request.Headers.Add("X-Api-Key", Key);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.Created ? JsonDocument.Parse(text).RootElement.GetProperty("id").GetString() : null);
    }

    private static async Task<string> StatusAsync(HttpClient http, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/characters/{id}");
        request.Headers.Add("X-Api-Key", Key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()!;
    }
}
