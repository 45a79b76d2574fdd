using System.Collections.Generic;
using System.Globalization;

namespace Aurous.Client;

/// <summary>How to start an emulator: the emulator's own options, each left to its default when null.</summary>
public sealed class AurousEmulatorStartInfo
{
    /// <summary>The executable or Aurous.Emulator.dll (a full path); null finds the installed tool.</summary>
    public string? Path { get; set; }

    public double? SynthesisSeconds { get; set; }
    public double? FailureRate { get; set; }
    public int? Seed { get; set; }
    public int? Credits { get; set; }
    public double? RateLimitMultiplier { get; set; }

    /// <summary>The folder the emulator keeps its state in, across restarts (a full path); null keeps it in memory.</summary>
    public string? DataPath { get; set; }

    /// <summary>The team whose key the emulator object carries.</summary>
    public string Team { get; set; } = AurousEmulatorTeams.TeamA;

    /// <summary>The process whose end ends the emulator: the caller's, so a test run never leaves one behind.</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>The loopback port to listen on; 0 (the default) lets the emulator pick a free one.</summary>
    public int Port { get; set; }

    /// <summary>The emulator's command-line options; always a loopback address.</summary>
    public IEnumerable<string> Arguments()
    {
        yield return "--urls";
        yield return "http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in Options())
        {
            if (value is not null)
            {
                yield return name;
                yield return value;
            }
        }
    }

    private IEnumerable<(string Name, string? Value)> Options()
    {
        yield return ("--synthesis-seconds", Number(SynthesisSeconds));
        yield return ("--failure-rate", Number(FailureRate));
        yield return ("--seed", Seed?.ToString(CultureInfo.InvariantCulture));
        yield return ("--credits", Credits?.ToString(CultureInfo.InvariantCulture));
        yield return ("--rate-limit-multiplier", Number(RateLimitMultiplier));
        yield return ("--data", DataPath);
        yield return ("--parent-pid", ParentProcessId?.ToString(CultureInfo.InvariantCulture));
    }

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
