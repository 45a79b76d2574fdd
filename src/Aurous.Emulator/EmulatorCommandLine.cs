using System.Globalization;

namespace Aurous.Emulator;

/// <summary>Parses the few options the emulator takes on the command line.</summary>
internal sealed record EmulatorCommandLine(string Url, EmulatorOptions Options, bool ShowHelp, int? ParentProcessId = null)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    // The same range as the client's AurousRateLimits.MinMultiplier/MaxMultiplier.
    public const double MinRateLimitMultiplier = 0.1;
    public const double MaxRateLimitMultiplier = 1000;

    public const string Usage = """
        Aurous API emulator: a local stand-in for https://api.aurous-labs.com that spends no credits.

        Usage:
          aurous-emulator [options]                               installed as a .NET tool:
                                                                  dotnet tool install --global Aurous.Emulator
          dotnet run --project src/Aurous.Emulator -- [options]   from a clone of the repository

        Options:
          --urls <url>               Address to listen on (default http://127.0.0.1:5080; use port 0 for any free port).
          --synthesis-seconds <n>    How long a synthesis takes before the character is reviewing (default 3).
          --failure-rate <f>         Share of syntheses that fail, 0 to 1 (default 0).
          --seed <n>                 Seed for the failure and fault dice, for repeatable runs.
          --credits <n>              Credits each seeded team starts with (default 1000).
          --rate-limit-multiplier <n>
                                     Multiplies every bucket's burst and per-minute rate, 0.1 to 1000 (default 1,
                                     the documented limits). Connect-Aurous -RateLimitMultiplier <n> paces the client to match.
          --parent-pid <pid>         Stop when the process with this id exits (checked every half second).
          -h, --help                 Show this help.

        Control calls (reset, ledger, credits, finish, clock, faults) live under /_emulator/. The emulator's
        README describes them: on the Aurous.Emulator package page, or src/Aurous.Emulator/README.md in the repository.
        """;

    /// <summary>Returns the parsed line, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var url = DefaultUrl;
        var options = new EmulatorOptions();
        var multiplier = 1.0;
        int? parent = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    return new EmulatorCommandLine(url, options, ShowHelp: true);
                case "--urls":
                    url = Value(args, ref i);
                    if (url.Contains(';', StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttp)
                    {
                        throw new FormatException($"--urls takes one http:// address, e.g. {DefaultUrl}; got '{url}'.");
                    }

                    break;
                case "--synthesis-seconds":
                    options.SynthesisSeconds = Number(args, ref i, 0, 86_400);
                    break;
                case "--failure-rate":
                    options.FailureRate = Number(args, ref i, 0, 1);
                    break;
                case "--seed":
                    options.RandomSeed = WholeNumber(args, ref i, int.MinValue);
                    break;
                case "--credits":
                    options.InitialCredits = WholeNumber(args, ref i, 0);
                    break;
                case "--rate-limit-multiplier":
                    multiplier = Number(args, ref i, MinRateLimitMultiplier, MaxRateLimitMultiplier);
                    break;
                case "--parent-pid":
                    parent = WholeNumber(args, ref i, 1);
                    break;
                default:
                    throw new FormatException($"Unknown option '{arg}'. Run with --help for the list.");
            }
        }

        options.ScaleRateLimits(multiplier);
        return new EmulatorCommandLine(url, options, ShowHelp: false, parent);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new FormatException($"{args[i]} needs a value.");
        }

        return args[++i];
    }

    private static int WholeNumber(IReadOnlyList<string> args, ref int i, int min)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new FormatException($"{name} takes a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
        }

        return value;
    }

    private static double Number(IReadOnlyList<string> args, ref int i, double min, double max)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > max)
        {
            throw new FormatException($"{name} takes a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
        }

        return value;
    }
}
