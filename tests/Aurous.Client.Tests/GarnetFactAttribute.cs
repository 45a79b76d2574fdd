namespace Aurous.Client.Tests;

/// <summary>A test that needs <see cref="TestGarnet"/>: skipped, saying how to get it, where it is not installed.</summary>
public sealed class GarnetFactAttribute : FactAttribute
{
    public GarnetFactAttribute()
    {
        if (TestGarnet.Missing is { } missing)
        {
            Skip = missing;
        }
    }

    /// <summary>The test freezes the server with SIGSTOP, which Windows does not have.</summary>
    public bool NeedsSignals
    {
        get => false;
        init
        {
            if (value && OperatingSystem.IsWindows() && Skip is null)
            {
                Skip = "Freezing a server takes SIGSTOP, which Windows does not have.";
            }
        }
    }
}
