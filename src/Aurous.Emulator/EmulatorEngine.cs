namespace Aurous.Emulator;

/// <summary>Everything one emulator instance holds, wired once and shared by the endpoint groups.</summary>
internal sealed class EmulatorEngine
{
    public EmulatorEngine(EmulatorOptions options, EmulatorClock clock)
    {
        Options = options;
        Clock = clock;
        var seed = options.RandomSeed ?? Random.Shared.Next();
        State = new EmulatorState(options, clock, new Random(seed));
        Faults = new Faults(new Random(unchecked(seed + 1)));
        Idempotency = new IdempotencyStore(clock);
        Buckets = new TokenBuckets(options, clock);
        Signer = new RefUrlSigner(clock, options.RefUrlLifetime);
        Reset();
    }

    public EmulatorOptions Options { get; }

    public EmulatorClock Clock { get; }

    public EmulatorState State { get; }

    public Faults Faults { get; }

    public IdempotencyStore Idempotency { get; }

    public TokenBuckets Buckets { get; }

    public RefUrlSigner Signer { get; }

    /// <summary>Back to the seeded state: teams and credits, no characters, faults, ledger, keys or clock offset.</summary>
    public void Reset()
    {
        lock (State.Sync)
        {
            Clock.Reset();
            State.Reset();
            Idempotency.Reset();
            Buckets.Reset();
            Faults.Clear();
        }
    }

    /// <summary>
    /// One team back to new: no characters, ledger, idempotency records or bucket debt, initial credits. The clock
    /// and the faults belong to the whole emulator and stay as they are.
    /// </summary>
    public void Reset(Team team)
    {
        lock (State.Sync)
        {
            State.Reset(team);
            Idempotency.Reset(team.Name);
            Buckets.Reset(team.Name);
        }
    }
}
