using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Aurous.Client.Http;

/// <summary>
/// The client-side buckets, one per (base URI, team, bucket), shared by every client, cmdlet call and runspace of
/// the process; through their state files by every process of the user on this machine that uses the same key
/// and endpoint; and through a Redis store, when one is configured, by every machine. Teams are told apart by a
/// SHA-256 prefix of the key, never the key itself.
/// </summary>
internal static class RateLimiterRegistry
{
    /// <summary>A state file untouched this long describes a full bucket, exactly as a missing one does.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    private static readonly ConcurrentDictionary<string, Lazy<TeamBucket>> Buckets = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Pruned = new(StringComparer.Ordinal);

    public static string Scope(Uri baseUri, string apiKey) => $"{baseUri.GetLeftPart(UriPartial.Authority)}|{KeyHash(apiKey)}";

    /// <summary>
    /// The bucket for a scope (see <see cref="Scope"/>), kept in the store of <paramref name="limits"/> if any, else
    /// in its state folder, else by this process alone.
    /// </summary>
    public static TeamBucket Get(string scope, string bucket, AurousRateLimits limits)
    {
        var name = $"{scope}|{bucket}|{limits.SharedStateDirectory}|{limits.Store}";
        return Buckets.GetOrAdd(name, _ => new Lazy<TeamBucket>(() => Create(scope, bucket, limits.SharedStateDirectory, limits.Store))).Value;
    }

    /// <summary>
    /// Starts an endpoint's buckets over, full, as an emulator reset leaves the server's: those of one key, or with
    /// <paramref name="apiKey"/> null those of every key this process has used there. Their state files are deleted
    /// too (in <paramref name="sharedDirectory"/>, and wherever this process kept them), so the user's other processes
    /// start over as well; a process's own copy of a bucket only matters while its file cannot be used.
    /// </summary>
    public static void Reset(Uri baseUri, string? apiKey, string? sharedDirectory)
    {
        var prefix = apiKey is null ? baseUri.GetLeftPart(UriPartial.Authority) + "|" : Scope(baseUri, apiKey) + "|";
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Buckets.Keys)
        {
            // name: authority|key hash|bucket|folder|store.
            var parts = name.Split(new[] { '|' }, 5);
            if (name.StartsWith(prefix, StringComparison.Ordinal) && parts.Length == 5 && Buckets.TryRemove(name, out _) && parts[3].Length > 0)
            {
                files.Add(Path.Combine(parts[3], BucketStateFile.FileName($"{parts[0]}|{parts[1]}", parts[2])));
            }
        }

        if (apiKey is not null && !string.IsNullOrEmpty(sharedDirectory))
        {
            foreach (var bucket in new[] { AurousRateLimits.CharactersGetBucket, AurousRateLimits.CharactersPostBucket, AurousRateLimits.CharactersSynthesizeBucket, AurousRateLimits.UnknownRouteBucket })
            {
                files.Add(Path.Combine(sharedDirectory, BucketStateFile.FileName(Scope(baseUri, apiKey), bucket)));
            }
        }

        foreach (var file in files)
        {
            // Windows refuses to delete a file another process has open; processes hold these for microseconds.
            for (var tries = 0; ; tries++)
            {
                try
                {
                    System.IO.File.Delete(file);
                    break;
                }
                catch (IOException) when (tries < 50)
                {
                    System.Threading.Thread.Sleep(10);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
                {
                    // A file that stays busy or locked away keeps its state: that bucket refills as it would have anyway.
                    break;
                }
            }
        }
    }

    internal static string KeyHash(string apiKey) => Hex(apiKey, 8);

    /// <summary>
    /// The Redis key of a bucket: the key's hash, a hash of the endpoint and the bucket's name, so teams, endpoints
    /// (an emulator and the real API) and buckets never meet; never the key itself.
    /// </summary>
    internal static string StoreKey(string scope, string bucket)
    {
        var split = scope.LastIndexOf('|');
        return $"aurous:ratelimit:{scope.Substring(split + 1)}:{Hex(scope.Substring(0, split), 4)}:{bucket}";
    }

    private static string Hex(string text, int bytes)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var builder = new StringBuilder(2 * bytes);
        for (var i = 0; i < bytes; i++)
        {
            builder.Append(hash[i].ToString("x2"));
        }

        return builder.ToString();
    }

    private static TeamBucket Create(string scope, string bucket, string? sharedDirectory, string? store)
    {
        var stores = new List<IBucketStore>();
        if (!string.IsNullOrEmpty(store))
        {
            stores.Add(Redis(store!, StoreKey(scope, bucket)));
        }

        if (!string.IsNullOrEmpty(sharedDirectory))
        {
            stores.Add(File(scope, bucket, sharedDirectory!));
        }

        return new TeamBucket(bucket, stores.ToArray());
    }

    // Its own method, so that StackExchange.Redis is loaded only when a store is configured.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IBucketStore Redis(string configuration, string key) => new RedisBucketStore(RedisStoreConnection.For(configuration), key);

    private static BucketStateFile File(string scope, string bucket, string sharedDirectory)
    {
        if (Pruned.TryAdd(sharedDirectory, true))
        {
            Prune(sharedDirectory);
        }

        return new BucketStateFile(sharedDirectory, scope, bucket);
    }

    /// <summary>
    /// Every endpoint (an emulator on a new port each run) leaves a file behind; once a day's refill has made a file
    /// mean "full" it is only clutter. Failures are left for the first use of the folder to report.
    /// </summary>
    private static void Prune(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return;
            }

            var cutoff = DateTime.UtcNow - StaleAfter;
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*" + BucketStateFile.Extension))
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            // Housekeeping only: a file another process holds, or a folder that cannot be listed, waits for next time.
        }
    }
}
