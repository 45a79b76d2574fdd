using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Waits for every piped character at once and passes each on as soon as it settles (reviewing or ready).
    /// A failed character, one still synthesizing at the timeout, or one the server could not be asked about for
    /// -UnreachableTimeoutSec becomes a non-terminating error and is not passed on, so Get | Wait | Save saves only the
    /// good ones. Failing polls raise a warning naming the server at once: no wait is silent.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "AurousCharacter", DefaultParameterSetName = ById)]
    [OutputType(typeof(Character))]
    public sealed class WaitAurousCharacterCommand : CharacterTargetCmdlet
    {
        // Each id once, in arrival order, with what the user passed for it (an id or a character) for error records.
        private readonly List<string> _ids = new List<string>();
        private readonly Dictionary<string, object> _errorTargets = new Dictionary<string, object>(StringComparer.Ordinal);
        private TimeSpan? _timeout;
        private int _settled;
        private int _pending;
        private int _failed;

        /// <summary>How long to wait for all of them (1 s to 7 days); without it, until they settle.</summary>
        [Parameter]
        [ValidateAurous(AurousRule.WaitSeconds, nameof(TimeoutSec))]
        public int TimeoutSec { get; set; }

        /// <summary>The shortest gap between polls; the client widens it to stay inside the rate limit.</summary>
        [Parameter]
        [ValidateAurous(AurousRule.PollIntervalSeconds, nameof(PollIntervalSec))]
        public double PollIntervalSec { get; set; }

        /// <summary>How long the server may go without answering before each pending character gets an error (30 s).</summary>
        [Parameter]
        [ValidateAurous(AurousRule.WaitSeconds, nameof(UnreachableTimeoutSec))]
        public int UnreachableTimeoutSec { get; set; }

        protected override void ProcessRecord()
        {
            // Collect only: waiting per record would wait for the characters one after another.
            foreach (CharacterTarget target in Targets)
            {
                if (!_errorTargets.ContainsKey(target.Id))
                {
                    _ids.Add(target.Id);
                    _errorTargets.Add(target.Id, target.ErrorTarget);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_ids.Count == 0)
            {
                return;
            }

            _timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
            var options = new CharacterWaitOptions
            {
                Timeout = _timeout,
                PollInterval = MyInvocation.BoundParameters.ContainsKey(nameof(PollIntervalSec)) ? TimeSpan.FromSeconds(PollIntervalSec) : (TimeSpan?)null,
                UnreachableTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(UnreachableTimeoutSec)) ? TimeSpan.FromSeconds(UnreachableTimeoutSec) : (TimeSpan?)null,
            };

            _pending = _ids.Count;
            WriteProgress(Progress(_settled, _pending, _failed));
            try
            {
                TryRun(async (client, ct) =>
                {
                    // Post never blocks, so a slow consumer downstream or a slow host never delays the polling.
                    await foreach (CharacterWaitResult result in client.WaitForCharactersAsync(_ids, options, ct).ConfigureAwait(false))
                    {
                        Post(() => Report(result));
                    }
                }, _ids.ToArray());
            }
            finally
            {
                ProgressRecord done = Progress(_settled, _pending, _failed);
                done.RecordType = ProgressRecordType.Completed;
                WriteProgress(done);
            }
        }

        private void Report(CharacterWaitResult result)
        {
            object target = _errorTargets[result.Id];
            switch (result.Outcome)
            {
                case CharacterWaitOutcome.Settled when result.Character != null:
                    WriteCharacter(result.Character);
                    break;
                case CharacterWaitOutcome.Failed:
                    // The failed character itself is the target, so a handler can read its error_message and id.
                    WriteError(AurousErrorRecords.FromWait(result, (object?)result.Character ?? target, _timeout));
                    break;
                default:
                    WriteError(AurousErrorRecords.FromWait(result, target, _timeout));
                    break;
            }

            (_settled, _pending, _failed) = (result.Settled, result.Pending, result.FailedCount);
            WriteProgress(Progress(_settled, _pending, _failed));
        }

        // A new record each time: hosts and the progress stream keep the instance they are given.
        private static ProgressRecord Progress(int settled, int pending, int failed)
        {
            int total = settled + pending + failed;
            return new ProgressRecord(ProgressActivities.WaitForCharacters, "Waiting for Aurous characters", $"{settled} settled, {pending} pending, {failed} failed")
            {
                PercentComplete = total == 0 ? 100 : (settled + failed) * 100 / total,
            };
        }
    }
}
