using System;

namespace Aurous.Client.Waiting;

/// <summary>
/// How often the waiter may poll: each pending character every <see cref="Interval"/> (the docs' 2 s while
/// the budget allows), stretched so that all of them together stay within a safety share of the
/// characters_get sustained rate; consecutive polls are at least <see cref="Spacing"/> apart, so a crowd of
/// characters that came due together is spread out instead of spending the burst.
/// </summary>
internal sealed class PollSchedule
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    /// <summary>The share of the sustained rate the waiter may use; the rest is left for the caller's other calls.</summary>
    public const double BudgetShare = 0.8;

    private readonly double _pollsPerSecond;

    public PollSchedule(TimeSpan minimumInterval, AurousBucketLimit getBucket)
    {
        MinimumInterval = minimumInterval;
        _pollsPerSecond = getBucket.PerMinute * BudgetShare / 60.0;
    }

    public TimeSpan MinimumInterval { get; }

    /// <summary>Time between two polls of the same character while <paramref name="pending"/> characters are polled.</summary>
    public TimeSpan Interval(int pending)
    {
        var budgeted = TimeSpan.FromSeconds(Math.Max(1, pending) / _pollsPerSecond);
        return budgeted > MinimumInterval ? budgeted : MinimumInterval;
    }

    /// <summary>Shortest time between two consecutive polls (of any characters): the budgeted rate, whatever is pending.</summary>
    public TimeSpan Spacing => TimeSpan.FromSeconds(1 / _pollsPerSecond);
}
