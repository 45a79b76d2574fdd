using System;
using System.IO;
using System.Security;

namespace Aurous.Client.Http;

/// <summary>
/// One of a team's buckets as this process sees it: kept in a state file shared with the user's other processes
/// when there is a folder for it, in memory otherwise. A file that cannot be used (a read-only or full disk, no
/// permission) is set aside for a minute, with a Verbose note, and the process paces itself alone meanwhile,
/// carrying on from the last state it read.
/// </summary>
internal sealed class TeamBucket
{
    private static readonly TimeSpan FileRetryAfter = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly BucketStateFile? _file;
    private BucketState _state;
    private DateTimeOffset _fileUnusableUntil;

    public TeamBucket(string name, BucketStateFile? file)
    {
        Name = name;
        _file = file;
    }

    /// <summary>The bucket's documented name, e.g. characters_get.</summary>
    public string Name { get; }

    public bool Shared => _file is not null;

    public TimeSpan Take(AurousBucketLimit limit, DateTimeOffset now, AurousRequestContext context) =>
        Update((ref BucketState state) => TokenBucket.Take(ref state, limit, now), now, context);

    public void GiveBack(AurousBucketLimit limit, DateTimeOffset now, AurousRequestContext context) =>
        Update((ref BucketState state) =>
        {
            TokenBucket.GiveBack(ref state, limit, now);
            return TimeSpan.Zero;
        }, now, context);

    public void Empty(AurousBucketLimit limit, DateTimeOffset now, TimeSpan? retryAfter, AurousRequestContext context) =>
        Update((ref BucketState state) =>
        {
            TokenBucket.Empty(ref state, limit, now, retryAfter);
            return TimeSpan.Zero;
        }, now, context);

    private TimeSpan Update(BucketStateFile.Change change, DateTimeOffset now, AurousRequestContext context)
    {
        lock (_gate)
        {
            if (_file is not null && now >= _fileUnusableUntil)
            {
                try
                {
                    return _file.Update(change, out _state);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or NotSupportedException)
                {
                    _fileUnusableUntil = now + FileRetryAfter;
                    context.Log(AurousLogLevel.Verbose, $"The {Name} bucket of {context.Host} is not shared with this user's other processes for the next minute: its state file in {_file.Directory} cannot be used ({e.GetType().Name}: {e.Message}). This process keeps to the limit on its own meanwhile.");
                }
            }

            return change(ref _state);
        }
    }
}
