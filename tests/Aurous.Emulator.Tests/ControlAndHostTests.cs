using System.Net;

namespace Aurous.Emulator.Tests;

public sealed class ControlAndHostTests
{
    [Fact]
    public async Task StartAsync_listens_on_an_ephemeral_loopback_port_with_a_trailing_slash()
    {
        await using var one = await EmulatorServer.StartAsync();
        await using var two = await EmulatorServer.StartAsync();
        Assert.Equal("127.0.0.1", one.BaseUri.Host);
        Assert.EndsWith("/", one.BaseUri.AbsoluteUri);
        Assert.NotEqual(0, one.BaseUri.Port);
        Assert.NotEqual(one.BaseUri.Port, two.BaseUri.Port);
    }

    [Fact]
    public async Task StartAsync_refuses_impossible_options()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorServer.StartAsync(new EmulatorOptions { FailureRate = 2 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorServer.StartAsync(new EmulatorOptions { CharactersGet = new BucketShape(0, 10) }));
    }

    [Fact]
    public async Task Reset_returns_to_the_seeded_state()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReadyAsync();
        await h.CreateAsync(key: "before-reset");
        await h.SetCreditsAsync(7, EmulatorDefaults.TeamB);
        await h.AddFaultAsync(new { route = "*", kind = "error_500", count = 5 });
        await h.AdvanceAsync(3600);

        Assert.Equal(HttpStatusCode.OK, (await h.ControlAsync(HttpMethod.Post, "_emulator/reset")).Status);

        Assert.Equal(TimeSpan.Zero, h.Server.Clock.Offset);
        (await h.GetAsync(id)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        var ledger = await h.LedgerAsync();
        Assert.Equal(1000, ledger.Credits);
        Assert.Empty(ledger.Charges);
        Assert.Equal(1000, (await h.LedgerAsync(EmulatorDefaults.TeamB)).Credits);
        var fresh = (await h.CreateAsync(key: "before-reset")).AssertStatus(HttpStatusCode.Created);
        Assert.False(fresh.Replayed);
    }

    [Fact]
    public async Task The_programmatic_clock_and_the_control_call_move_the_same_time()
    {
        await using var h = await Harness.StartAsync(o => o.SynthesisSeconds = 90);
        var id = (await h.CreateAsync()).Id;
        h.Server.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("synthesizing", (await h.GetAsync(id)).State);
        await h.AdvanceAsync(30);
        Assert.Equal("reviewing", (await h.GetAsync(id)).State);
        Assert.Equal(TimeSpan.FromSeconds(90), h.Server.Clock.Offset);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Server.Clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task Control_calls_need_no_api_key_and_spend_no_rate_limit_budget()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersGet = new BucketShape(1, 1));
        var id = await h.CreateReviewingAsync();
        for (var i = 0; i < 5; i++)
        {
            await h.PeekAsync(id);
            await h.LedgerAsync();
        }

        (await h.GetAsync(id)).AssertStatus(HttpStatusCode.OK);
    }
}
