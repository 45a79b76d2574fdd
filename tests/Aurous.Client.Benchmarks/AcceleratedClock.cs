using System.Diagnostics;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// The emulator's clock, run <see cref="Speed"/> times faster than real time, as a TimeProvider the client can use:
/// its now is the emulator's now, and its timers fire after their due time divided by the speed. A background loop
/// moves the emulator's clock along (it only ever moves forward) every couple of milliseconds, so a run of minutes on
/// the documented budget takes seconds, and everything on both sides (buckets, synthesis, polls, backoff) keeps its
/// documented proportions. Real latency is multiplied by the speed too, which makes the figures slightly pessimistic.
/// </summary>
internal sealed class AcceleratedClock : TimeProvider, IAsyncDisposable
{
    private readonly EmulatorClock _emulator;
    private readonly Stopwatch _real = Stopwatch.StartNew();
    private readonly DateTimeOffset _start;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pacer;

    public AcceleratedClock(EmulatorClock emulator, double speed)
    {
        _emulator = emulator;
        Speed = speed;
        _start = emulator.GetUtcNow();
        _pacer = Task.Run(PaceAsync);
    }

    public double Speed { get; }

    public override DateTimeOffset GetUtcNow() => _start + Scale(_real.Elapsed);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Scale(_real.Elapsed).Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new Timer(this, System.CreateTimer(callback, state, Shrink(dueTime), Shrink(period)));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _pacer;
        _stop.Dispose();
    }

    private TimeSpan Scale(TimeSpan real) => TimeSpan.FromTicks((long)(real.Ticks * Speed));

    private TimeSpan Shrink(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks / Speed));

    private async Task PaceAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var behind = GetUtcNow() - _emulator.GetUtcNow();
            if (behind > TimeSpan.Zero)
            {
                _emulator.Advance(behind);
            }

            try
            {
                await Task.Delay(2, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed class Timer(AcceleratedClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Shrink(dueTime), clock.Shrink(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
