using Aurous.Emulator;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>An emulator and a PowerShell session connected to it as team A, shared by one test class.</summary>
public sealed class ModuleFixture : IAsyncLifetime
{
    public EmulatorFixture Emulator { get; } = new();

    internal PowerShellSession Session { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Emulator.InitializeAsync();
        Session = PowerShellSession.Connected(Emulator.BaseUri, EmulatorDefaults.TeamAKey);
    }

    public async Task DisposeAsync()
    {
        Session?.Dispose();
        await Emulator.DisposeAsync();
    }
}
