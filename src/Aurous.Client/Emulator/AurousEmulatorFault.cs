namespace Aurous.Client;

/// <summary>
/// A fault the emulator injects: into the next <see cref="Count"/> requests of a route, or into a share
/// (<see cref="Rate"/>) of them.
/// </summary>
public sealed class AurousEmulatorFault
{
    /// <summary>get, list, update, save, delete, create, resynthesize, regenerate, or * for every route.</summary>
    public string Route { get; set; } = "*";

    /// <summary>error_500, rate_limit (429 with Retry-After), delay, drop_after_commit (done, then the answer is lost).</summary>
    public string Kind { get; set; } = "error_500";
    public int? Count { get; set; }
    public double? Rate { get; set; }

    /// <summary>For delay: how long, in real time.</summary>
    public int? DelayMs { get; set; }

    /// <summary>For rate_limit: the Retry-After the 429 carries.</summary>
    public int? RetryAfterSeconds { get; set; }
}
