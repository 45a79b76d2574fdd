using System;
using System.Diagnostics;

namespace Aurous.Client.Http;

internal static class Elapsed
{
    public static TimeSpan Since(long stopwatchTimestamp) =>
        TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - stopwatchTimestamp) / (double)Stopwatch.Frequency);

    /// <summary>"35 ms" or "1.2 s", the way the Verbose lines show durations.</summary>
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0} ms" : $"{span.TotalSeconds:0.0} s";
}
