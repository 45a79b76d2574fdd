using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Starts the local API emulator on a free loopback port and connects the session to it: the whole set-up of a
    /// test file. The emulator ends when this PowerShell process does.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "AurousEmulator", DefaultParameterSetName = TeamSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AurousEmulator))]
    public sealed class StartAurousEmulatorCommand : AurousCmdlet
    {
        private const string TeamSet = "Team";
        private const string NewTeamSet = "NewTeam";

        /// <summary>The aurous-emulator executable or Aurous.Emulator.dll; by default the installed .NET tool.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>A fixed loopback port, for a script that must find the emulator again at the same address; 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter(ParameterSetName = TeamSet)]
        [ValidatePattern("^[A-Za-z0-9_]{1,64}$")]
        public string? Team { get; set; }

        [Parameter(ParameterSetName = NewTeamSet, Mandatory = true)]
        public SwitchParameter NewTeam { get; set; }

        [Parameter]
        [ValidateRange(0, 86400)]
        public double SynthesisSeconds { get; set; }

        [Parameter]
        [ValidateRange(0, 1)]
        public double FailureRate { get; set; }

        [Parameter]
        public int Seed { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Credits { get; set; }

        [Parameter]
        [ValidateRange(AurousRateLimits.MinMultiplier, AurousRateLimits.MaxMultiplier)]
        public double RateLimitMultiplier { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DataPath { get; set; }

        [Parameter]
        public SwitchParameter NoConnect { get; set; }

        protected override void EndProcessing()
        {
            var info = new AurousEmulatorStartInfo
            {
                Path = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path),
                DataPath = DataPath == null ? null : GetUnresolvedProviderPathFromPSPath(DataPath),
                SynthesisSeconds = Bound(nameof(SynthesisSeconds)) ? SynthesisSeconds : (double?)null,
                FailureRate = Bound(nameof(FailureRate)) ? FailureRate : (double?)null,
                Seed = Bound(nameof(Seed)) ? Seed : (int?)null,
                Credits = Bound(nameof(Credits)) ? Credits : (int?)null,
                RateLimitMultiplier = Bound(nameof(RateLimitMultiplier)) ? RateLimitMultiplier : (double?)null,
                Team = NewTeam ? AurousEmulatorTeams.NewName() : Team ?? AurousEmulatorTeams.TeamA,
                ParentProcessId = CurrentProcessId(),
                Port = Port,
            };

            string where = Port == 0 ? "a free loopback port" : $"loopback port {Port}";
            string target = info.DataPath == null ? $"the Aurous API emulator on {where}" : $"the Aurous API emulator on {where}, with its data in {info.DataPath}";
            if (!ShouldProcess(target, "Start")
                || !TryRunLocal(ct => AurousEmulator.StartAsync(info, line => Post(() => WriteVerbose(line)), ct), info.Path, out AurousEmulator emulator))
            {
                return;
            }

            EmulatorProcesses.MarkStarted();
            if (!NoConnect)
            {
                Connect(emulator);
            }

            WriteObject(emulator);
        }

        private void Connect(AurousEmulator emulator)
        {
            string? apiVersion = AurousContext.NullIfEmpty(Environment.GetEnvironmentVariable(AurousContext.VersionVariable));
            using SecureString key = AurousContext.ToSecureString(emulator.ApiKey);
            AurousContextStore.SetSession(new AurousContext(key, emulator.BaseUri, apiVersion, null, null, emulator.RateLimitMultiplier, null, AurousContextSource.Session));
            WriteVerbose($"Connected to {emulator.BaseUri} as team {emulator.Team}, rate-limit multiplier {emulator.RateLimitMultiplier}.");
        }

        private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        private static int CurrentProcessId()
        {
            using Process current = Process.GetCurrentProcess();
            return current.Id;
        }
    }
}
