namespace Aurous.Emulator;

/// <summary>The three documented rate-limit buckets and the /v1 routes that draw on each.</summary>
internal enum BucketKind
{
    CharactersGet,
    CharactersPost,
    CharactersSynthesize,
}

/// <summary>Per-team token buckets, refilled continuously from the emulator clock.</summary>
internal sealed class TokenBuckets(EmulatorOptions options, TimeProvider clock)
{
    private readonly Dictionary<(string Team, BucketKind Kind), Bucket> buckets = [];
    private readonly Lock sync = new();

    public static string WireName(BucketKind kind) => kind switch
    {
        BucketKind.CharactersGet => "characters_get",
        BucketKind.CharactersPost => "characters_post",
        _ => "characters_synthesize",
    };

    /// <summary>Takes one token, or returns the whole seconds until one is available (at least 1).</summary>
    public int? TryTake(string team, BucketKind kind)
    {
        var shape = Shape(kind);
        var now = clock.GetUtcNow();
        var perSecond = shape.PerMinute / 60.0;
        lock (sync)
        {
            if (!buckets.TryGetValue((team, kind), out var bucket))
            {
                bucket = new Bucket { Tokens = shape.Burst, RefilledAt = now };
                buckets[(team, kind)] = bucket;
            }

            var elapsed = Math.Max(0, (now - bucket.RefilledAt).TotalSeconds);
            bucket.Tokens = Math.Min(shape.Burst, bucket.Tokens + (elapsed * perSecond));
            bucket.RefilledAt = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return null;
            }

            return Math.Max(1, (int)Math.Ceiling((1 - bucket.Tokens) / perSecond));
        }
    }

    public void Reset()
    {
        lock (sync)
        {
            buckets.Clear();
        }
    }

    /// <summary>Full buckets again for one team, the others keep their debt.</summary>
    public void Reset(string team)
    {
        lock (sync)
        {
            foreach (var kind in Enum.GetValues<BucketKind>())
            {
                buckets.Remove((team, kind));
            }
        }
    }

    private BucketShape Shape(BucketKind kind) => kind switch
    {
        BucketKind.CharactersGet => options.CharactersGet,
        BucketKind.CharactersPost => options.CharactersPost,
        _ => options.CharactersSynthesize,
    };

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset RefilledAt { get; set; }
    }
}
