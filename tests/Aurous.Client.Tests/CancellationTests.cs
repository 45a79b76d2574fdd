using System.Diagnostics;

namespace Aurous.Client.Tests;

/// <summary>Issue 3: cancelling ends a wait and an in-flight request within one second.</summary>
public class CancellationTests
{
    [Fact]
    public async Task Cancelling_ends_an_in_flight_request_within_a_second()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Slow" });
        await emulator.FaultAsync("get", "delay", count: 1, delayMs: 20_000);
        using var cancel = new CancellationTokenSource();

        var call = client.GetCharacterAsync(created.Id, cancel.Token);
        await Task.Delay(300);
        var stopwatch = Stopwatch.StartNew();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_ends_a_wait_within_a_second()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SynthesisSeconds = 600);
        using var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = "Forever" });
        using var cancel = new CancellationTokenSource();
        var stopwatch = new Stopwatch();

        var wait = Task.Run(async () =>
        {
            await foreach (var _ in client.WaitForCharactersAsync(new[] { created.Id }, new CharacterWaitOptions { PollInterval = TimeSpan.FromSeconds(30) }, cancel.Token))
            {
            }
        });
        await Task.Delay(300);
        stopwatch.Start();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_without_retries_it_is_a_RequestTimedOut_error()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var patient = emulator.Client(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));
        using var impatient = emulator.Client(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            o.Retry = AurousRetryPolicy.None;
        });
        var created = await patient.CreateCharacterAsync(new CharacterCreate { Name = "Timeout" });

        await emulator.FaultAsync("get", "delay", count: 1, delayMs: 5_000);
        var fetched = await patient.GetCharacterAsync(created.Id);
        await emulator.FaultAsync("get", "delay", count: 1, delayMs: 5_000);
        var error = await Assert.ThrowsAsync<AurousApiException>(() => impatient.GetCharacterAsync(created.Id));

        Assert.Equal(2, fetched.LastResponse!.Attempts);
        Assert.Equal((AurousErrors.RequestTimedOut, AurousErrorCategory.OperationTimeout), (error.ErrorId, error.Category));
    }
}
