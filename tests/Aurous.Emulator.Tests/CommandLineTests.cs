namespace Aurous.Emulator.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Defaults_match_the_documented_start_command()
    {
        var line = EmulatorCommandLine.Parse([]);
        Assert.Equal("http://127.0.0.1:5080", line.Url);
        Assert.Equal(3, line.Options.SynthesisSeconds);
        Assert.Equal(0, line.Options.FailureRate);
        Assert.False(line.ShowHelp);
    }

    [Fact]
    public void Options_are_parsed()
    {
        var line = EmulatorCommandLine.Parse(["--urls", "http://127.0.0.1:5999", "--synthesis-seconds", "0.5", "--failure-rate", "0.25", "--seed", "9", "--credits", "40"]);
        Assert.Equal("http://127.0.0.1:5999", line.Url);
        Assert.Equal(0.5, line.Options.SynthesisSeconds);
        Assert.Equal(0.25, line.Options.FailureRate);
        Assert.Equal(9, line.Options.RandomSeed);
        Assert.Equal(40, line.Options.InitialCredits);
        Assert.Null(line.ParentProcessId);
    }

    [Fact]
    public void The_parent_process_id_is_parsed()
    {
        Assert.Equal(4242, EmulatorCommandLine.Parse(["--parent-pid", "4242"]).ParentProcessId);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_recognised_and_lists_every_option(string flag)
    {
        Assert.True(EmulatorCommandLine.Parse([flag]).ShowHelp);
        foreach (var option in new[] { "--urls", "--synthesis-seconds", "--failure-rate", "--seed", "--credits", "--rate-limit-multiplier", "--data", "--parent-pid", "--help" })
        {
            Assert.Contains(option, EmulatorCommandLine.Usage);
        }

        // Both ways to start it, and the install lines that work from a build, with the SDK they need.
        Assert.Contains("aurous-emulator [options]", EmulatorCommandLine.Usage);
        Assert.Contains("dotnet run --project src/Aurous.Emulator -- [options]", EmulatorCommandLine.Usage);
        Assert.Contains("dotnet build src/Aurous.PowerShell -c Release", EmulatorCommandLine.Usage);
        Assert.Contains($"dotnet tool install --global Aurous.Emulator --add-source ./out --version {EmulatorCommandLine.Version}", EmulatorCommandLine.Usage);
        Assert.Contains(".NET 10 SDK", EmulatorCommandLine.Usage);
        Assert.Matches(@"^\d+\.\d+\.\d+$", EmulatorCommandLine.Version);
    }

    [Fact]
    public void Help_covers_the_team_key_rule_and_every_control_route_with_an_example()
    {
        Assert.Contains("al_live_emulator_<name>", EmulatorCommandLine.Usage);
        foreach (var route in new[]
        {
            "POST   /_emulator/reset", "POST   /_emulator/teams/{team}/reset", "GET    /_emulator/teams/{team}/ledger",
            "PUT    /_emulator/teams/{team}/credits", "GET    /_emulator/characters/{id}", "POST   /_emulator/characters/{id}/finish",
            "POST   /_emulator/clock/advance", "POST   /_emulator/faults", "DELETE /_emulator/faults",
        })
        {
            Assert.Contains(route, EmulatorCommandLine.Usage);
        }

        Assert.Equal(9, EmulatorCommandLine.Usage.Split('\n').Count(line => line.TrimStart().StartsWith("curl ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_a_multiplier_the_buckets_are_the_documented_ones()
    {
        var options = EmulatorCommandLine.Parse([]).Options;
        Assert.Equal(new BucketShape(240, 120), options.CharactersGet);
        Assert.Equal(new BucketShape(60, 30), options.CharactersPost);
        Assert.Equal(new BucketShape(12, 6), options.CharactersSynthesize);
    }

    [Theory]
    [InlineData("10", 2400, 1200, 600, 300, 120, 60)]
    [InlineData("1000", 240_000, 120_000, 60_000, 30_000, 12_000, 6_000)]
    [InlineData("0.5", 120, 60, 30, 15, 6, 3)]
    [InlineData("0.1", 24, 12, 6, 3, 1, 1)] // 1.2 and 0.6 round to the client's 1 and 1: never an empty bucket
    public void The_rate_limit_multiplier_scales_every_burst_and_rate_as_the_client_does(
        string multiplier, int getBurst, int getRate, int postBurst, int postRate, int synthBurst, int synthRate)
    {
        var options = EmulatorCommandLine.Parse(["--rate-limit-multiplier", multiplier]).Options;
        Assert.Equal(new BucketShape(getBurst, getRate), options.CharactersGet);
        Assert.Equal(new BucketShape(postBurst, postRate), options.CharactersPost);
        Assert.Equal(new BucketShape(synthBurst, synthRate), options.CharactersSynthesize);
    }

    [Theory]
    [InlineData("--rate-limit-multiplier", "0.05")]
    [InlineData("--rate-limit-multiplier", "1001")]
    [InlineData("--rate-limit-multiplier", "fast")]
    [InlineData("--rate-limit-multiplier")]
    public void A_multiplier_outside_the_clients_range_is_refused_naming_the_range(params string[] args)
    {
        var ex = Assert.Throws<FormatException>(() => EmulatorCommandLine.Parse(args));
        Assert.Contains("--rate-limit-multiplier", ex.Message);
    }

    [Theory]
    [InlineData("--failure-rate", "1.5")]
    [InlineData("--failure-rate", "lots")]
    [InlineData("--synthesis-seconds", "-1")]
    [InlineData("--urls", "ftp://127.0.0.1:1")]
    [InlineData("--urls", "http://127.0.0.1:1;http://127.0.0.1:2")]
    [InlineData("--bogus", "1")]
    [InlineData("--urls")]
    [InlineData("--parent-pid", "0")]
    [InlineData("--parent-pid", "1.5")]
    [InlineData("--parent-pid", "me")]
    [InlineData("--parent-pid")]
    [InlineData("--credits", "2.5")]
    public void Bad_arguments_are_refused_with_a_message(params string[] args)
    {
        var ex = Assert.Throws<FormatException>(() => EmulatorCommandLine.Parse(args));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}
