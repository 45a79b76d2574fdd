namespace Aurous.Emulator;

/// <summary>
/// Real time plus an adjustable offset. Everything time-dependent in the emulator reads this clock,
/// so tests move time forward instead of sleeping.
/// </summary>
public sealed class EmulatorClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The emulator clock only moves forward.");
        }

        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    internal void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}
