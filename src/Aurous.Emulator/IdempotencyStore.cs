namespace Aurous.Emulator;

/// <summary>
/// Idempotency records per team and key. A key is first held "in flight" by the request that claimed it;
/// a concurrent request with the same key waits for that one and then replays its response, so two
/// requests with one key never both execute. Only successful responses are kept: an error (400, 402, 429,
/// 500...) releases the key, so the client's retry with the same key is processed anew.
/// Every member is called with <see cref="EmulatorState.Sync"/> held.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider clock, IStateStore store)
{
    public const int MaxKeyLength = 256;
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly Dictionary<(string Team, string Key), Entry> entries = [];

    /// <summary>
    /// Claims the key, or returns the stored response to replay, or the task to wait on while another
    /// request holds it. Another route or another body under the same key is a 409.
    /// </summary>
    public Claim Begin(string team, string key, string route, string fingerprint)
    {
        if (entries.TryGetValue((team, key), out var entry))
        {
            var expired = entry.Result is not null && clock.GetUtcNow() - entry.CompletedAt > Window;
            if (!expired)
            {
                if (entry.Route != route)
                {
                    throw ApiErrors.IdempotencyKeyInUse($"This Idempotency-Key was already used on {entry.Route}; use a new key for {route}.");
                }

                if (entry.Fingerprint != fingerprint)
                {
                    throw ApiErrors.IdempotencyKeyInUse("This Idempotency-Key was already used with a different request body.");
                }

                return entry.Result is { } stored ? new Claim(null, stored, null) : new Claim(null, null, entry.Done.Task);
            }
        }

        var claimed = new Entry(team, key, route, fingerprint);
        entries[(team, key)] = claimed;
        return new Claim(claimed, null, null);
    }

    /// <summary>Keeps a successful response for replay; anything else gives the key back.</summary>
    public void Complete(Entry entry, ApiResult? result)
    {
        if (result is { IsSuccess: true })
        {
            entry.Result = result;
            entry.CompletedAt = clock.GetUtcNow();
            store.SaveKey(entry);
        }
        else if (entries.TryGetValue((entry.Team, entry.Key), out var current) && current == entry)
        {
            // Only our own claim: after a reset the key may already belong to a newer request.
            entries.Remove((entry.Team, entry.Key));
        }

        entry.Done.TrySetResult();
    }

    /// <summary>The kept keys a store held, less those past the replay window by the restored clock.</summary>
    public void Restore(IEnumerable<Entry> kept)
    {
        foreach (var entry in kept.Where(e => clock.GetUtcNow() - e.CompletedAt <= Window))
        {
            entries[(entry.Team, entry.Key)] = entry;
        }
    }

    public void Reset() => Reset(_ => true);

    /// <summary>Forgets one team's keys, so its next request with any of them runs anew.</summary>
    public void Reset(string team) => Reset(entry => entry.Team == team);

    private void Reset(Func<Entry, bool> which)
    {
        foreach (var entry in entries.Values.Where(which).ToList())
        {
            // A request waiting on an in-flight claim stops waiting and claims the key afresh.
            entry.Done.TrySetResult();
            entries.Remove((entry.Team, entry.Key));
        }
    }

    /// <summary>What <see cref="Begin"/> decided: exactly one of the three is set.</summary>
    public sealed record Claim(Entry? Claimed, ApiResult? Replay, Task? WaitFor);

    public sealed class Entry(string team, string key, string route, string fingerprint)
    {
        public string Team { get; } = team;

        public string Key { get; } = key;

        public string Route { get; } = route;

        public string Fingerprint { get; } = fingerprint;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ApiResult? Result { get; set; }

        public DateTimeOffset CompletedAt { get; set; }

        /// <summary>A key completed before the emulator restarted: it only replays, nobody waits on it.</summary>
        public static Entry Completed(string team, string key, string route, string fingerprint, ApiResult result, DateTimeOffset completedAt)
        {
            var entry = new Entry(team, key, route, fingerprint) { Result = result, CompletedAt = completedAt };
            entry.Done.TrySetResult();
            return entry;
        }
    }
}
