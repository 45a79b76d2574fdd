using System.Globalization;
using System.Reflection;

namespace Aurous.Emulator;

/// <summary>Parses the few options the emulator takes on the command line.</summary>
internal sealed record EmulatorCommandLine(string Url, EmulatorOptions Options, bool ShowHelp, int? ParentProcessId = null)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    // The same range as the client's AurousRateLimits.MinMultiplier/MaxMultiplier.
    public const double MinRateLimitMultiplier = 0.1;
    public const double MaxRateLimitMultiplier = 1000;

    /// <summary>The package version (VersionPrefix), as the install line needs it.</summary>
    public static readonly string Version = typeof(EmulatorCommandLine).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>Everything a user without the repository needs: options, the team-key rule and the control surface.</summary>
    public static readonly string Usage = $$"""
        Aurous API emulator {{Version}}: a local stand-in for https://api.aurous-labs.com that spends no credits.

        Usage:
          aurous-emulator [options]                               installed as a .NET tool
          dotnet run --project src/Aurous.Emulator -- [options]   from a clone of the repository

        Install (needs the .NET 10 SDK or later; the package is not on nuget.org yet). In a clone of the repository:
          dotnet build src/Aurous.PowerShell -c Release           also writes out/Aurous.Emulator.{{Version}}.nupkg
          dotnet tool install --global Aurous.Emulator --add-source ./out --version {{Version}}

        Options:
          --urls <url>               Address to listen on (default http://127.0.0.1:5080; use port 0 for any free port).
          --synthesis-seconds <n>    How long a synthesis takes before the character is reviewing (default 3).
          --failure-rate <f>         Share of syntheses that fail, 0 to 1 (default 0).
          --seed <n>                 Seed for the failure and fault dice, for repeatable runs.
          --credits <n>              Credits every team starts with (default 1000).
          --rate-limit-multiplier <n>
                                     Multiplies every bucket's burst and per-minute rate, 0.1 to 1000 (default 1,
                                     the documented limits). Connect-Aurous -RateLimitMultiplier <n> paces the client to match.
          --data <folder>            Keep teams, characters, ledgers, idempotency records and the clock in <folder> (an
                                     SQLite database, created if missing): a restart on the same folder continues where
                                     it stopped, and every answered request survives a crash. Without it, state lives in
                                     memory and is gone when the emulator stops.
          --parent-pid <pid>         Stop when the process with this id exits (checked every half second), e.g. the
                                     PowerShell session that started the emulator: pass it $PID.
          -h, --help                 Show this help.

        Teams:
          Every X-Api-Key {{TeamKeys.Prefix}}<name> (<name>: 1 to {{TeamKeys.MaxNameLength}} letters, digits or _) is a team of its own,
          made on first use with --credits credits. al_live_emulator_team_a and al_live_emulator_team_b always work.
          A test that takes a fresh key shares no credits, ledger, characters, idempotency keys or rate limits.

        Control calls, under /_emulator/ (loopback callers only, no API key, no rate limits, JSON bodies).
        With B=http://127.0.0.1:5080:
          POST   /_emulator/reset                   Everything back to new: every team, the faults, the clock.
                 curl -X POST $B/_emulator/reset
          POST   /_emulator/teams/{team}/reset      One team back to new (characters, ledger, keys, rate limits, credits).
                 curl -X POST $B/_emulator/teams/team_a/reset
          GET    /_emulator/teams/{team}/ledger     Credits left and every charge (a team never used reads as new).
                 curl $B/_emulator/teams/team_a/ledger
          PUT    /_emulator/teams/{team}/credits    Set a team's credits.
                 curl -X PUT $B/_emulator/teams/team_a/credits -d '{"credits":3}'
          GET    /_emulator/characters/{id}         Any character, whatever its team or state.
                 curl $B/_emulator/characters/char_01K...
          POST   /_emulator/characters/{id}/finish  End a running synthesis now ("failed" takes an "error_message").
                 curl -X POST $B/_emulator/characters/char_01K.../finish -d '{"outcome":"reviewing"}'
          POST   /_emulator/clock/advance           Move the emulator's clock forward (never back).
                 curl -X POST $B/_emulator/clock/advance -d '{"seconds":60}'
          POST   /_emulator/faults                  Fail the next "count" requests of a route, or a share ("rate") of them.
                 curl -X POST $B/_emulator/faults -d '{"route":"create","kind":"error_500","count":1}'
                 route: get, list, update, save, delete, create, resynthesize, regenerate or *.
                 kind: error_500, rate_limit (retry_after_seconds), delay (delay_ms) or drop_after_commit.
          DELETE /_emulator/faults                  Clear every fault.
                 curl -X DELETE $B/_emulator/faults
        The clock and the faults belong to the whole emulator: a team's reset leaves them alone. --data keeps the
        clock but not the faults or the rate-limit buckets, which start afresh with every run.
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
                case "--data":
                    options.DataPath = Value(args, ref i);
                    if (string.IsNullOrWhiteSpace(options.DataPath))
                    {
                        throw new FormatException("--data takes a folder, e.g. --data ./emulator-data.");
                    }

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
