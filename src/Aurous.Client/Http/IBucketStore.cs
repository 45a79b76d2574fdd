using System;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// Where one bucket's state lives: this process's memory, the user's state file (every process of the machine), or
/// Redis (every machine on the key). Each applies a <see cref="BucketChange"/> atomically; the memory and the file
/// with <see cref="TokenBucket"/>, Redis with the same arithmetic in one script.
/// </summary>
internal interface IBucketStore
{
    /// <summary>For the wait lines: "shared with this user's other processes", ...</summary>
    string Sharing { get; }

    /// <summary>Whether the state is this machine's alone, so a 429 it did not expect teaches it its share.</summary>
    bool Local { get; }

    /// <summary>Applies the change; a store that turns unusable, or usable again, tells the user through <paramref name="context"/>, once.</summary>
    /// <exception cref="BucketStoreUnavailableException">when the store cannot be used now; the caller uses the next one.</exception>
    ValueTask<BucketResult> ApplyAsync(BucketChange change, AurousRequestContext context);
}

/// <summary>A store that cannot be used now: a folder that cannot be written, a Redis that is down or slow.</summary>
internal sealed class BucketStoreUnavailableException : Exception
{
    public BucketStoreUnavailableException()
        : base("The bucket store cannot be used for now.")
    {
    }
}

/// <summary>The last resort, which cannot fail: the state in this process only.</summary>
internal sealed class MemoryBucketStore : IBucketStore
{
    private readonly object _gate = new();
    private BucketState _state;

    public string Sharing => "kept by this process alone";

    public bool Local => true;

    public ValueTask<BucketResult> ApplyAsync(BucketChange change, AurousRequestContext context)
    {
        lock (_gate)
        {
            return new ValueTask<BucketResult>(TokenBucket.Apply(ref _state, change));
        }
    }

    /// <summary>Carries on from the state another store last returned, so falling back to memory loses no tokens.</summary>
    public void Remember(in BucketState state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }
}
