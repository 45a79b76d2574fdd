using System;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The emulator a control command acts on: the one given with -Emulator (piped from Start-AurousEmulator), else the
    /// one the session is connected to; and the team the command means when it is given none, the team of that key.
    /// </summary>
    internal sealed class EmulatorTarget
    {
        private readonly string? _team;

        private EmulatorTarget(AurousEmulatorControl control, string? team)
        {
            Control = control;
            _team = team;
        }

        public AurousEmulatorControl Control { get; }

        /// <summary>The emulator, for ShouldProcess texts and error targets.</summary>
        public string Description => $"the emulator at {AurousMessages.Server(Control.BaseUri)}";

        /// <exception cref="AurousConfigurationException">NotAnEmulator: no connection, or one to anything but a local emulator.</exception>
        public static EmulatorTarget Resolve(AurousEmulator? emulator)
        {
            if (emulator != null)
            {
                return new EmulatorTarget(new AurousEmulatorControl(emulator.BaseUri), emulator.Team);
            }

            AurousContext context = AurousContextStore.Resolve()
                ?? throw new AurousConfigurationException("Not connected to an emulator: Start-AurousEmulator starts one and connects the session to it, or pass the one it returned with -Emulator.", AurousErrors.NotAnEmulator);
            return new EmulatorTarget(new AurousEmulatorControl(context.BaseUri), context.EmulatorTeam());
        }

        /// <summary><paramref name="given"/>, else the team of the key in use.</summary>
        /// <exception cref="AurousConfigurationException">InvalidConfiguration, when neither names a team.</exception>
        public string Team(string? given) =>
            given ?? _team ?? throw new AurousConfigurationException($"The session's API key is not an emulator team key ({AurousEmulatorTeams.KeyPrefix}<team>), so it names no team: pass -Team.", AurousErrors.InvalidConfiguration);

        public string DescribeTeam(string? given) => $"team {Team(given)} of {Description}";
    }
}
