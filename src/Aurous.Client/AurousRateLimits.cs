using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>One documented token bucket: <see cref="Burst"/> tokens, refilled at <see cref="PerMinute"/>.</summary>
public sealed class AurousBucketLimit
{
    public AurousBucketLimit(int burst, int perMinute)
    {
        Burst = burst;
        PerMinute = perMinute;
    }

    public int Burst { get; }
    public int PerMinute { get; }

    public override string ToString() => $"{Burst} burst / {PerMinute} per minute";
}

/// <summary>Client-side buckets mirroring the server's, so a bulk pipeline waits instead of collecting 429s.</summary>
public sealed class AurousRateLimits
{
    public const string CharactersGetBucket = "characters_get";
    public const string CharactersPostBucket = "characters_post";
    public const string CharactersSynthesizeBucket = "characters_synthesize";

    /// <summary>Routes the client does not know (Invoke-AurousRequest): a bucket of their own, shaped like the strictest documented one.</summary>
    public const string UnknownRouteBucket = "unknown_route";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether a 429 the buckets did not expect (another machine spends the same budget) lowers this machine's rate,
    /// which then climbs back slowly while no 429 comes, as the AWS SDKs' adaptive retry mode does. The learned rate is
    /// kept with the state in <see cref="SharedStateDirectory"/>, for every process of the machine. Alone on a key,
    /// with no 429s, nothing changes. Off, a machine paces itself at the documented rate and only 429s hold it back.
    /// </summary>
    public bool Adaptive { get; set; } = true;

    /// <summary>
    /// The folder where this user's processes keep the buckets' state, so that all of them together stay inside
    /// the team's limits (one small file per endpoint, key hash and bucket; never the key). Null keeps the buckets
    /// in this process only. Default: LocalApplicationData/Aurous/RateLimits (%LOCALAPPDATA% on Windows,
    /// ~/.local/share on Linux, ~/Library/Application Support on macOS); null when the user has no such folder.
    /// </summary>
    public string? SharedStateDirectory { get; set; } = DefaultSharedStateDirectory;

    /// <summary>
    /// A Redis server every machine on the key uses for the buckets' state, as a StackExchange.Redis configuration
    /// (host:port[,password=…][,ssl=true]), so that all of them together keep to the team's limits. Null keeps the
    /// state on this machine (<see cref="SharedStateDirectory"/>). Checking the options starts connecting to it. A
    /// store that cannot be reached within 5 s, or answers slower than 250 ms, is set aside for a minute with one
    /// Warning, and this machine's buckets serve meanwhile: a call never fails because of the store. Holds a password: never printed (see <see cref="MaskStore"/>) nor serialised.
    /// </summary>
    [JsonIgnore]
    public string? Store { get; set; }

    public AurousBucketLimit CharactersGet { get; set; } = new(240, 120);
    public AurousBucketLimit CharactersPost { get; set; } = new(60, 30);
    public AurousBucketLimit CharactersSynthesize { get; set; } = new(12, 6);

    public static AurousRateLimits Disabled => new() { Enabled = false };

    /// <summary>
    /// The documented buckets times <paramref name="multiplier"/>: for teams whose limits were raised, and for an
    /// emulator started with the same --rate-limit-multiplier, so the client paces itself to the server it talks to.
    /// </summary>
    public static AurousRateLimits Scaled(double multiplier)
    {
        if (double.IsNaN(multiplier) || multiplier < MinMultiplier || multiplier > MaxMultiplier)
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, $"The rate-limit multiplier must be from {MinMultiplier} to {MaxMultiplier}.");
        }

        var documented = new AurousRateLimits();
        return new AurousRateLimits
        {
            CharactersGet = Scale(documented.CharactersGet, multiplier),
            CharactersPost = Scale(documented.CharactersPost, multiplier),
            CharactersSynthesize = Scale(documented.CharactersSynthesize, multiplier),
        };
    }

    public const double MinMultiplier = 0.1;
    public const double MaxMultiplier = 1000;

    private static AurousBucketLimit Scale(AurousBucketLimit limit, double multiplier) =>
        new(Math.Max(1, (int)Math.Round(limit.Burst * multiplier)), Math.Max(1, (int)Math.Round(limit.PerMinute * multiplier)));

    public static string? DefaultSharedStateDirectory { get; } = LocateSharedStateDirectory();

    /// <summary>A store configuration as it may be shown: every password=… replaced by ***, the rest as given.</summary>
    public static string MaskStore(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return "(none)";
        }

        var options = configuration!.Split(',');
        for (var i = 0; i < options.Length; i++)
        {
            if (IsPassword(options[i], out var name))
            {
                options[i] = name + "=" + AurousRedactor.Mask;
            }
        }

        return string.Join(",", options);
    }

    /// <summary>The passwords a store configuration holds, to remove from any message that might repeat them.</summary>
    internal static string[] StorePasswords(string? configuration)
    {
        var passwords = new List<string>();
        foreach (var option in (configuration ?? "").Split(','))
        {
            if (IsPassword(option, out var name))
            {
                var value = option.Substring(option.IndexOf('=') + 1);
                if (value.Length > 0)
                {
                    passwords.Add(value);
                }
            }
        }

        return passwords.ToArray();
    }

    private static bool IsPassword(string option, out string name)
    {
        var equals = option.IndexOf('=');
        name = equals > 0 ? option.Substring(0, equals) : "";
        return name.Trim().Equals("password", StringComparison.OrdinalIgnoreCase);
    }

    internal AurousBucketLimit For(string bucket) => bucket switch
    {
        CharactersGetBucket => CharactersGet,
        CharactersPostBucket => CharactersPost,
        // characters_synthesize, and unknown_route: with nothing documented, the strictest shape is the safe guess.
        _ => CharactersSynthesize,
    };

    private static string? LocateSharedStateDirectory()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(root) ? null : System.IO.Path.Combine(root, "Aurous", "RateLimits");
    }
}
