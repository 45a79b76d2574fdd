using System;

namespace Aurous.Client.Waiting;

/// <summary>
/// How fast the waiter may poll. Its budget is a share (<see cref="BudgetShare"/>) of the characters_get bucket, burst
/// and rate alike, kept as an allowance that polls spend and time refills. Consecutive re-polls are spaced at the
/// sustained share plus the spare allowance spread over <see cref="SpreadHorizon"/>: a long wait spends its share of
/// the burst gradually, where it shortens every character's wait, instead of in the first seconds. A character still
/// within the documented minimum synthesis time (<see cref="TypicalMinimumSynthesis"/>) is not expected to have
/// settled, so polls of it are spaced at half the sustained share, which lets the allowance grow for when characters
/// do settle. Each character is polled at most every <see cref="MinimumInterval"/> (the docs' 2 s by default).
/// </summary>
internal sealed class PollSchedule
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    /// <summary>The share of the bucket the waiter may use; the rest is left for the caller's other calls.</summary>
    public const double BudgetShare = 0.8;

    /// <summary>The spare allowance is spent at a rate that would use it up in this long: half the documented 30-90 s.</summary>
    public static readonly TimeSpan SpreadHorizon = TimeSpan.FromSeconds(30);

    /// <summary>"Typical completion 30-90 seconds" (GET /v1/characters/{id}).</summary>
    public static readonly TimeSpan TypicalMinimumSynthesis = TimeSpan.FromSeconds(30);

    private readonly double _pollsPerSecond;
    private readonly double _capacity;
    private double _allowance;
    private TimeSpan _refilledAt;

    public PollSchedule(TimeSpan minimumInterval, AurousBucketLimit getBucket)
    {
        MinimumInterval = minimumInterval;
        _pollsPerSecond = getBucket.PerMinute * BudgetShare / 60.0;
        _capacity = getBucket.Burst * BudgetShare;
        _allowance = _capacity;
    }

    public TimeSpan MinimumInterval { get; }

    /// <summary>Allowance left at <paramref name="now"/> (time since the wait began); negative after a round of first polls larger than it.</summary>
    public double Allowance(TimeSpan now)
    {
        Refill(now);
        return _allowance;
    }

    /// <summary>A poll went out at <paramref name="now"/>.</summary>
    public void Spend(TimeSpan now)
    {
        Refill(now);
        _allowance -= 1;
    }

    /// <summary>
    /// The shortest time from a re-poll sent at <paramref name="now"/> to the next one; <paramref name="young"/> when
    /// the poll was of a character still within <see cref="TypicalMinimumSynthesis"/>.
    /// </summary>
    public TimeSpan Spacing(TimeSpan now, bool young)
    {
        if (young)
        {
            return TimeSpan.FromSeconds(2 / _pollsPerSecond);
        }

        return TimeSpan.FromSeconds(1 / (_pollsPerSecond + (Math.Max(0, Allowance(now)) / SpreadHorizon.TotalSeconds)));
    }

    private void Refill(TimeSpan now)
    {
        if (now > _refilledAt)
        {
            _allowance = Math.Min(_capacity, _allowance + ((now - _refilledAt).TotalSeconds * _pollsPerSecond));
            _refilledAt = now;
        }
    }
}
