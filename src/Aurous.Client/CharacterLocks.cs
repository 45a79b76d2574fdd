using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client;

/// <summary>
/// Process-wide async locks, one per (endpoint, key, character), for read-merge-write sequences that the API cannot
/// make atomic. An entry lives only while someone holds or awaits it, so a long session does not collect them.
/// </summary>
internal static class CharacterLocks
{
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    public static async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (Entries)
        {
            if (!Entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(key);
                Entries.Add(key, entry);
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(entry);
            throw;
        }

        return new Holder(entry);
    }

    private static void Leave(Entry entry)
    {
        lock (Entries)
        {
            if (--entry.Users == 0)
            {
                Entries.Remove(entry.Key);
            }
        }
    }

    private sealed class Entry
    {
        public Entry(string key) => Key = key;

        public string Key { get; }
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Holder : IDisposable
    {
        private Entry? _entry;

        public Holder(Entry entry) => _entry = entry;

        public void Dispose()
        {
            var entry = Interlocked.Exchange(ref _entry, null);
            if (entry is not null)
            {
                entry.Gate.Release();
                Leave(entry);
            }
        }
    }
}
