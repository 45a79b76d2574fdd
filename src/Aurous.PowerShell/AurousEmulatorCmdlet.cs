using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// A command on the emulator's control surface: it acts on the emulator piped from Start-AurousEmulator
    /// (-Emulator), else on the one the session is connected to, and refuses anything that is not a local emulator.
    /// </summary>
    public abstract class AurousEmulatorCmdlet : AurousCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public AurousEmulator? Emulator { get; set; }

        /// <summary>The emulator of this record; a missing or remote one ends the command.</summary>
        internal EmulatorTarget ResolveTarget()
        {
            try
            {
                return EmulatorTarget.Resolve(Emulator);
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, Emulator));
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }

        /// <summary>The team a command means: -Team, else the team of the emulator's or the session's key.</summary>
        internal string ResolveTeam(EmulatorTarget target, string? team)
        {
            try
            {
                return target.Team(team);
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, Emulator));
                throw;
            }
        }
    }
}
