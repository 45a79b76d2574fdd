using System.Security.Cryptography;

namespace Aurous.Emulator;

/// <summary>What a store held when the emulator started: the state to continue from.</summary>
internal sealed record StoredState(
    TimeSpan ClockOffset,
    IReadOnlyList<Team> Teams,
    IReadOnlyList<StoredCharacter> Characters,
    IReadOnlyList<IdempotencyStore.Entry> Keys);

/// <summary>
/// Where committed state goes besides memory. The engine keeps working on its in-memory state, the one code path;
/// it notes each change here as it makes it and calls <see cref="Commit"/> once per request, under the state lock,
/// before the response is written. In memory (the default) that is nothing at all; with --data it is one SQLite
/// transaction (<see cref="SqliteStateStore"/>).
/// </summary>
internal interface IStateStore : IDisposable
{
    /// <summary>The ref URL signing secret, kept so URLs handed out before a restart still open after it.</summary>
    byte[] UrlSecret { get; }

    StoredState Load();

    void SaveCharacter(StoredCharacter character);

    /// <summary>The team's credits; its charges go through <see cref="AddCharge"/>.</summary>
    void SaveTeam(Team team);

    void AddCharge(Team team, Charge charge);

    /// <summary>A completed key, kept for replay.</summary>
    void SaveKey(IdempotencyStore.Entry entry);

    void ResetTeam(string team);

    void ResetAll();

    /// <summary>Makes every change noted since the last commit durable, with the clock offset, as one transaction.</summary>
    void Commit(TimeSpan clockOffset);
}

/// <summary>No --data: state lives in memory only and every note is a no-op.</summary>
internal sealed class MemoryStateStore : IStateStore
{
    public byte[] UrlSecret { get; } = RandomNumberGenerator.GetBytes(32);

    public StoredState Load() => new(TimeSpan.Zero, [], [], []);

    public void SaveCharacter(StoredCharacter character)
    {
    }

    public void SaveTeam(Team team)
    {
    }

    public void AddCharge(Team team, Charge charge)
    {
    }

    public void SaveKey(IdempotencyStore.Entry entry)
    {
    }

    public void ResetTeam(string team)
    {
    }

    public void ResetAll()
    {
    }

    public void Commit(TimeSpan clockOffset)
    {
    }

    public void Dispose()
    {
    }
}
