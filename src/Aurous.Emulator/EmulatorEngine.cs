namespace Aurous.Emulator;

/// <summary>Everything one emulator instance holds, wired once and shared by the endpoint groups.</summary>
internal sealed class EmulatorEngine
{
    public EmulatorEngine(EmulatorOptions options, EmulatorClock clock, IStateStore store)
    {
        Options = options;
        Clock = clock;
        Store = store;
        var seed = options.RandomSeed ?? Random.Shared.Next();
        State = new EmulatorState(options, clock, new Random(seed), store);
        Faults = new Faults(new Random(unchecked(seed + 1)));
        Idempotency = new IdempotencyStore(clock, store);
        Buckets = new TokenBuckets(options, clock);
        Signer = new RefUrlSigner(clock, options.RefUrlLifetime, store.UrlSecret);

        // Continue where the store stopped (nothing, in memory): the clock first, so expired keys are dropped by it.
        var kept = store.Load();
        Clock.Advance(kept.ClockOffset);
        State.Restore(kept.Teams, kept.Characters);
        Idempotency.Restore(kept.Keys);
    }

    public EmulatorOptions Options { get; }

    public EmulatorClock Clock { get; }

    public IStateStore Store { get; }

    public EmulatorState State { get; }

    public Faults Faults { get; }

    public IdempotencyStore Idempotency { get; }

    public TokenBuckets Buckets { get; }

    public RefUrlSigner Signer { get; }

    /// <summary>
    /// Makes the changes a request made durable (with --data) before its response is written. Caller holds
    /// <see cref="EmulatorState.Sync"/>, the same lock the changes were made under.
    /// </summary>
    public void Commit() => Store.Commit(Clock.Offset);

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
            Commit();
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
            Commit();
        }
    }

    /// <summary>Moves the clock forward and keeps the new offset.</summary>
    public void Advance(TimeSpan by)
    {
        lock (State.Sync)
        {
            Clock.Advance(by);
            Commit();
        }
    }
}
