using System;
using System.Text.Json.Serialization;

namespace Aurous.Client;

/// <summary>The emulator's clock: real time plus an offset that only moves forward.</summary>
public sealed class AurousEmulatorClock
{
    /// <summary>The time as the emulator sees it.</summary>
    public DateTimeOffset Now { get; set; }

    /// <summary>How far it is ahead of real time.</summary>
    [JsonIgnore]
    public TimeSpan Offset => TimeSpan.FromSeconds(OffsetSeconds);

    [JsonPropertyName("offset_seconds")]
    public double OffsetSeconds { get; set; }

    public override string ToString() => $"{Now:o} (+{Offset})";
}
