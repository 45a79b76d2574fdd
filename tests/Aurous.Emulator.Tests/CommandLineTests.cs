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
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_recognised_and_lists_every_option(string flag)
    {
        Assert.True(EmulatorCommandLine.Parse([flag]).ShowHelp);
        foreach (var option in new[] { "--urls", "--synthesis-seconds", "--failure-rate", "--seed", "--credits", "--help" })
        {
            Assert.Contains(option, EmulatorCommandLine.Usage);
        }
    }

    [Theory]
    [InlineData("--failure-rate", "1.5")]
    [InlineData("--failure-rate", "lots")]
    [InlineData("--synthesis-seconds", "-1")]
    [InlineData("--urls", "ftp://127.0.0.1:1")]
    [InlineData("--urls", "http://127.0.0.1:1;http://127.0.0.1:2")]
    [InlineData("--bogus", "1")]
    [InlineData("--urls")]
    public void Bad_arguments_are_refused_with_a_message(params string[] args)
    {
        var ex = Assert.Throws<FormatException>(() => EmulatorCommandLine.Parse(args));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}
