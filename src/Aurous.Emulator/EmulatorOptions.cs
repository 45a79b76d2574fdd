namespace Aurous.Emulator;

/// <summary>Shape of one token bucket: how many calls fit in a burst and how fast it refills.</summary>
public sealed record BucketShape(int Burst, int PerMinute)
{
    /// <summary>
    /// Both numbers times <paramref name="multiplier"/>, rounded the way the client's
    /// <c>AurousRateLimits.Scaled</c> rounds, so a client and an emulator given the same multiplier agree bucket for bucket.
    /// </summary>
    public BucketShape Scale(double multiplier) =>
        new(Math.Max(1, (int)Math.Round(Burst * multiplier)), Math.Max(1, (int)Math.Round(PerMinute * multiplier)));
}

/// <summary>Knobs for one emulator instance. Defaults follow the documented production contract.</summary>
public sealed class EmulatorOptions
{
    /// <summary>How long a synthesis runs before the character reaches reviewing (or failed).</summary>
    public double SynthesisSeconds { get; set; } = 3;

    /// <summary>Share of syntheses (0..1) that end in failed.</summary>
    public double FailureRate { get; set; }

    /// <summary>Seed for the failure and fault dice, so a run can be repeated exactly.</summary>
    public int? RandomSeed { get; set; }

    public BucketShape CharactersGet { get; set; } = new(240, 120);

    public BucketShape CharactersPost { get; set; } = new(60, 30);

    public BucketShape CharactersSynthesize { get; set; } = new(12, 6);

    public TimeSpan RefUrlLifetime { get; set; } = TimeSpan.FromHours(24);

    public int InitialCredits { get; set; } = 1000;

    /// <summary>
    /// A folder to keep teams, characters, ledgers, idempotency records and the clock in (an SQLite database), so a
    /// restart on it continues where the emulator stopped. Null (the default) keeps everything in memory.
    /// </summary>
    public string? DataPath { get; set; }

    /// <summary>Multiplies every bucket's burst and per-minute rate (the command line's --rate-limit-multiplier).</summary>
    public void ScaleRateLimits(double multiplier)
    {
        CharactersGet = CharactersGet.Scale(multiplier);
        CharactersPost = CharactersPost.Scale(multiplier);
        CharactersSynthesize = CharactersSynthesize.Scale(multiplier);
    }

    /// <summary>A private copy, so changing the caller's object after start cannot change a running server.</summary>
    internal EmulatorOptions Snapshot() => (EmulatorOptions)MemberwiseClone();

    internal void Validate()
    {
        if (double.IsNaN(SynthesisSeconds) || SynthesisSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SynthesisSeconds), "Synthesis time must be zero or more seconds.");
        }

        if (double.IsNaN(FailureRate) || FailureRate < 0 || FailureRate > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FailureRate), "Failure rate must be between 0 and 1.");
        }

        foreach (var (name, shape) in new[] { (nameof(CharactersGet), CharactersGet), (nameof(CharactersPost), CharactersPost), (nameof(CharactersSynthesize), CharactersSynthesize) })
        {
            if (shape is null || shape.Burst < 1 || shape.PerMinute < 1)
            {
                throw new ArgumentOutOfRangeException(name, "A bucket needs a burst and a per-minute rate of at least 1.");
            }
        }

        if (RefUrlLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RefUrlLifetime), "Ref URLs need a positive lifetime.");
        }

        if (InitialCredits < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialCredits), "Initial credits cannot be negative.");
        }
    }
}

/// <summary>The seeded teams and the version every test and script can rely on.</summary>
public static class EmulatorDefaults
{
    public const string TeamAKey = "al_live_emulator_team_a";
    public const string TeamBKey = "al_live_emulator_team_b";
    public const string TeamA = "team_a";
    public const string TeamB = "team_b";
    public const string DefaultApiVersion = "2026-05-15";
}
