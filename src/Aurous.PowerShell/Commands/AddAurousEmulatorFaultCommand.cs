using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Makes the emulator fail on purpose: the next -Count requests of a route, or a share (-Rate) of them, answer 500 or
    /// 429, are delayed, or are done and then lose their answer. Rules apply in the order added; Clear-AurousEmulatorFault ends them.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "AurousEmulatorFault", DefaultParameterSetName = CountSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    public sealed class AddAurousEmulatorFaultCommand : AurousEmulatorCmdlet
    {
        private const string CountSet = "Count";
        private const string RateSet = "Rate";

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("get", "list", "update", "save", "delete", "create", "resynthesize", "regenerate", "*")]
        public string Route { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateSet("error_500", "rate_limit", "delay", "drop_after_commit")]
        public string Kind { get; set; } = null!;

        /// <summary>How many of the route's next requests get the fault (1 unless given).</summary>
        [Parameter(ParameterSetName = CountSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; } = 1;

        [Parameter(ParameterSetName = RateSet, Mandatory = true)]
        [ValidateRange(0.0001, 1)]
        public double Rate { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int DelayMilliseconds { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int RetryAfterSeconds { get; set; }

        protected override void ProcessRecord()
        {
            var fault = new AurousEmulatorFault
            {
                Route = Route,
                Kind = Kind,
                Count = ParameterSetName == RateSet ? (int?)null : Count,
                Rate = ParameterSetName == RateSet ? Rate : (double?)null,
                DelayMs = MyInvocation.BoundParameters.ContainsKey(nameof(DelayMilliseconds)) ? DelayMilliseconds : (int?)null,
                RetryAfterSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(RetryAfterSeconds)) ? RetryAfterSeconds : (int?)null,
            };
            string share = fault.Rate is double rate ? $"{rate:P0} of the {Route} requests" : $"the next {Count} {Route} request{(Count == 1 ? "" : "s")}";
            EmulatorTarget target = ResolveTarget();
            if (ShouldProcess(target.Description, $"Add a {Kind} fault to {share}"))
            {
                TryRunLocal(ct => target.Control.AddFaultAsync(fault, ct), Emulator);
            }
        }
    }
}
