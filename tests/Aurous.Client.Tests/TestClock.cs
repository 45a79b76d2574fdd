namespace Aurous.Client.Tests;

/// <summary>
/// A clock that moves only when a test says so: timers (Delay, CancelAfter, timeouts) fire inside <see cref="Advance"/>,
/// in due order, so a test covers minutes of waiting in milliseconds. Network I/O still happens in real time.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<Timer> _timers = new();
    private DateTimeOffset _now = new(2026, 5, 15, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Timers waiting to fire: lets a test see that real-time work has reached its next wait on the clock.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that comes due on the way, each at its own moment.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset end;
        lock (_gate)
        {
            end = _now + by;
        }

        while (true)
        {
            Timer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueAt <= end).OrderBy(t => t.DueAt).FirstOrDefault();
                if (next is null)
                {
                    _now = end;
                    return;
                }

                _now = next.DueAt > _now ? next.DueAt : _now;
                next.Fired();
            }

            next.Callback(next.State);
        }
    }

    /// <summary>Advances in steps, letting the real-time work each step starts (polls over loopback) run between them.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            Advance(step);
            await Task.Delay(15);
        }
    }

    private sealed class Timer : ITimer
    {
        private readonly TestClock _clock;
        private TimeSpan _period;

        public Timer(TestClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            Callback = callback;
            State = state;
        }

        public TimerCallback Callback { get; }
        public object? State { get; }
        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_clock._gate)
            {
                _clock._timers.Remove(this);
                _period = period;
                if (dueTime != global::System.Threading.Timeout.InfiniteTimeSpan)
                {
                    DueAt = _clock._now + dueTime;
                    _clock._timers.Add(this);
                }
            }

            return true;
        }

        /// <summary>Called under the clock's lock: re-arms a periodic timer, drops a one-shot one.</summary>
        public void Fired()
        {
            _clock._timers.Remove(this);
            if (_period > TimeSpan.Zero && _period != global::System.Threading.Timeout.InfiniteTimeSpan)
            {
                DueAt += _period;
                _clock._timers.Add(this);
            }
        }

        public void Dispose()
        {
            lock (_clock._gate)
            {
                _clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
