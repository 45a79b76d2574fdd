using System;
using System.Collections.Generic;

namespace Aurous.Client;

/// <summary>A team's account on the emulator: the credits it has left and every charge, oldest first.</summary>
public sealed class AurousEmulatorLedger
{
    public string Team { get; set; } = "";
    public int Credits { get; set; }
    public IReadOnlyList<AurousEmulatorCharge> Charges { get; set; } = Array.Empty<AurousEmulatorCharge>();

    /// <summary>The generations charged in all, each one a credit.</summary>
    public int Spent
    {
        get
        {
            var sum = 0;
            foreach (var charge in Charges)
            {
                sum += charge.Generations;
            }

            return sum;
        }
    }

    public override string ToString() => $"{Team}: {Credits} credits left, {Charges.Count} charges";
}

/// <summary>One charge: the paid call (create, resynthesize, regenerate), its character, key and generations.</summary>
public sealed class AurousEmulatorCharge
{
    /// <summary>create, resynthesize or regenerate.</summary>
    public string Route { get; set; } = "";
    public string CharacterId { get; set; } = "";
    public string? IdempotencyKey { get; set; }
    public int Generations { get; set; }
    public DateTimeOffset At { get; set; }

    public override string ToString() => $"{Route} {CharacterId} ({Generations})";
}
