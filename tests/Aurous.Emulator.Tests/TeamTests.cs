using System.Net;

namespace Aurous.Emulator.Tests;

/// <summary>A team per key (al_live_emulator_&lt;name&gt;), and a reset that touches one team only.</summary>
public sealed class TeamTests
{
    private const string SuiteOne = "al_live_emulator_suite_1";
    private const string SuiteTwo = "al_live_emulator_Suite_2";

    [Fact]
    public async Task Every_key_of_the_form_is_a_team_of_its_own_made_on_first_use_with_the_default_credits()
    {
        await using var h = await Harness.StartAsync(o => o.InitialCredits = 40);
        var one = (await h.CreateAsync(apiKey: SuiteOne)).AssertStatus(HttpStatusCode.Created).Id;
        var two = (await h.CreateAsync(apiKey: SuiteTwo)).AssertStatus(HttpStatusCode.Created).Id;

        var ledger = await h.LedgerAsync("suite_1");
        Assert.Equal(36, ledger.Credits);
        Assert.Equal(one, Assert.Single(ledger.Charges).CharacterId);
        Assert.Equal(two, Assert.Single((await h.LedgerAsync("Suite_2")).Charges).CharacterId);

        // Neither sees the other's character, nor do the seeded teams, which kept their credits.
        (await h.GetAsync(one, SuiteTwo)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.GetAsync(two, SuiteOne)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        (await h.GetAsync(one, Harness.TeamA)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        var list = (await h.SendAsync(HttpMethod.Get, "v1/characters", apiKey: SuiteOne)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("data");
        Assert.Equal(one, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(40, (await h.LedgerAsync()).Credits);
        Assert.Empty((await h.LedgerAsync()).Charges);
    }

    [Fact]
    public async Task Names_differ_by_case_and_the_longest_name_is_64_characters()
    {
        await using var h = await Harness.StartAsync();
        var longest = new string('x', 64);
        (await h.CreateAsync(apiKey: "al_live_emulator_" + longest)).AssertStatus(HttpStatusCode.Created);
        (await h.CreateAsync(apiKey: "al_live_emulator_SUITE_1")).AssertStatus(HttpStatusCode.Created);
        Assert.Single((await h.LedgerAsync(longest)).Charges);
        Assert.Empty((await h.LedgerAsync("suite_1")).Charges);
    }

    [Theory]
    [InlineData("al_live_emulator_")]
    [InlineData("al_live_emulator_bad-name")]
    [InlineData("al_live_emulator_spa ce")]
    [InlineData("al_live_emulator_a.b")]
    [InlineData("al_live_emulator_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")] // 65
    [InlineData("xal_live_emulator_team_a")]
    public async Task Keys_outside_the_rule_are_401(string apiKey)
    {
        await using var h = await Harness.StartAsync();
        (await h.SendAsync(HttpMethod.Post, "v1/characters", """{"name":"x"}""", apiKey: apiKey)).AssertError(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_team_never_used_reads_as_fresh_and_its_credits_can_be_set_before_its_first_call()
    {
        await using var h = await Harness.StartAsync(o => o.InitialCredits = 12);
        var fresh = await h.LedgerAsync("never_used");
        Assert.Equal(12, fresh.Credits);
        Assert.Empty(fresh.Charges);

        await h.SetCreditsAsync(3, "broke");
        (await h.CreateAsync(apiKey: "al_live_emulator_broke")).AssertError(HttpStatusCode.PaymentRequired, "insufficient_credits");
        Assert.Equal(3, (await h.LedgerAsync("broke")).Credits);
    }

    [Theory]
    [InlineData("GET", "_emulator/teams/team-c/ledger")]
    [InlineData("PUT", "_emulator/teams/team-c/credits")]
    [InlineData("POST", "_emulator/teams/team-c/reset")]
    [InlineData("GET", "_emulator/teams/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/ledger")]
    public async Task A_name_no_key_can_hold_is_404_naming_the_rule(string method, string path)
    {
        await using var h = await Harness.StartAsync();
        var response = (await h.ControlAsync(new HttpMethod(method), path, """{"credits":1}""")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        Assert.Equal("team", response.ErrorParam);
        Assert.Contains("al_live_emulator_<name>", response.ErrorMessage);
    }

    [Fact]
    public async Task Resetting_a_team_clears_its_characters_ledger_keys_credits_and_bucket_debt_and_nothing_of_the_others()
    {
        await using var h = await Harness.StartAsync(o => o.CharactersSynthesize = new BucketShape(2, 1));
        var mine = (await h.CreateAsync(key: "k1", apiKey: SuiteOne)).AssertStatus(HttpStatusCode.Created).Id;
        (await h.CreateAsync(apiKey: SuiteOne)).AssertStatus(HttpStatusCode.Created);
        (await h.CreateAsync(apiKey: SuiteOne)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        var theirs = (await h.CreateAsync(key: "k1", apiKey: SuiteTwo)).AssertStatus(HttpStatusCode.Created).Id;
        (await h.CreateAsync(apiKey: SuiteTwo)).AssertStatus(HttpStatusCode.Created);
        await h.SetCreditsAsync(500, "suite_1");
        await h.AddFaultAsync(new { route = "get", kind = "error_500", count = 1 });
        await h.AdvanceAsync(5);

        var reset = (await h.ControlAsync(HttpMethod.Post, "_emulator/teams/suite_1/reset")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.True(reset.GetProperty("reset").GetBoolean());
        Assert.Equal("suite_1", reset.GetProperty("team").GetString());

        // The team is new again: no characters (not even for the control surface), full credits and buckets, keys unused.
        (await h.ControlAsync(HttpMethod.Get, $"_emulator/characters/{mine}")).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        var ledger = await h.LedgerAsync("suite_1");
        Assert.Equal(1000, ledger.Credits);
        Assert.Empty(ledger.Charges);
        var again = (await h.CreateAsync(key: "k1", apiKey: SuiteOne)).AssertStatus(HttpStatusCode.Created);
        Assert.False(again.Replayed);
        Assert.NotEqual(mine, again.Id);
        (await h.CreateAsync(apiKey: SuiteOne)).AssertStatus(HttpStatusCode.Created);

        // The other team keeps everything, its bucket debt included.
        var other = await h.LedgerAsync("Suite_2");
        Assert.Equal(2, other.Charges.Count);
        Assert.Equal(992, other.Credits);
        await h.PeekAsync(theirs);
        (await h.CreateAsync(apiKey: SuiteTwo)).AssertError(HttpStatusCode.TooManyRequests, "rate_limit_exceeded");

        // Faults and the clock belong to the whole emulator and stay.
        Assert.Equal(TimeSpan.FromSeconds(5), h.Server.Clock.Offset);
        (await h.GetAsync(theirs, SuiteTwo)).AssertError(HttpStatusCode.InternalServerError, "internal_error");
    }

    [Fact]
    public async Task A_replay_of_the_other_team_survives_its_neighbours_reset()
    {
        await using var h = await Harness.StartAsync();
        var created = (await h.CreateAsync(key: "shared-key", apiKey: SuiteTwo)).AssertStatus(HttpStatusCode.Created).Id;
        (await h.ControlAsync(HttpMethod.Post, "_emulator/teams/suite_1/reset")).AssertStatus(HttpStatusCode.OK);
        var replay = (await h.CreateAsync(key: "shared-key", apiKey: SuiteTwo)).AssertStatus(HttpStatusCode.Created);
        Assert.True(replay.Replayed);
        Assert.Equal(created, replay.Id);
        Assert.Single((await h.LedgerAsync("Suite_2")).Charges);
    }

    [Fact]
    public async Task The_whole_reset_clears_every_team_made_on_first_use()
    {
        await using var h = await Harness.StartAsync();
        var id = (await h.CreateAsync(key: "k", apiKey: SuiteOne)).Id;
        await h.SetCreditsAsync(9, "Suite_2");
        (await h.ControlAsync(HttpMethod.Post, "_emulator/reset")).AssertStatus(HttpStatusCode.OK);

        (await h.GetAsync(id, SuiteOne)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
        Assert.Empty((await h.LedgerAsync("suite_1")).Charges);
        Assert.Equal(1000, (await h.LedgerAsync("Suite_2")).Credits);
        Assert.False((await h.CreateAsync(key: "k", apiKey: SuiteOne)).AssertStatus(HttpStatusCode.Created).Replayed);
    }
}
