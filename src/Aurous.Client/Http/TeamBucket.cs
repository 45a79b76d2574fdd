using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// One of a team's buckets as this process sees it: kept in the first store that can be used, in order Redis (every
/// machine on the key, when configured), the user's state file (every process of this machine), this process's
/// memory. A store that cannot be used says so once and is passed over until it can be again; memory always can, and carries
/// on from the last state any store returned.
/// </summary>
internal sealed class TeamBucket
{
    private readonly IReadOnlyList<IBucketStore> _stores;
    private readonly MemoryBucketStore _memory = new();

    public TeamBucket(string name, params IBucketStore[] shared)
    {
        Name = name;
        var stores = new List<IBucketStore>(shared) { _memory };
        _stores = stores;
    }

    /// <summary>The bucket's documented name, e.g. characters_get.</summary>
    public string Name { get; }

    /// <summary>Applies <paramref name="change"/> to the first store that can be used, and says which one it was.</summary>
    public async ValueTask<(BucketResult Result, IBucketStore Store)> ApplyAsync(BucketChange change, AurousRequestContext context)
    {
        foreach (var store in _stores)
        {
            try
            {
                var local = new BucketChange(change.Operation, change.Limit, change.Now, change.RetryAfter, change.TakenAt, change.Learn && store.Local);
                var result = await store.ApplyAsync(local, context).ConfigureAwait(false);
                if (!ReferenceEquals(store, _memory))
                {
                    _memory.Remember(result.State);
                }

                return (result, store);
            }
            catch (BucketStoreUnavailableException)
            {
                // The store said why when it turned unusable; the next one serves.
            }
        }

        throw new InvalidOperationException("The memory store cannot fail.");
    }
}
