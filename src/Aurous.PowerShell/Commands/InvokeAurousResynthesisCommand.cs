using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Reruns synthesis: every pose (4 generations) or, with -Pose, the poses named (1 generation each). Emits the
    /// character, now synthesizing, so it chains into Wait-AurousCharacter.
    /// </summary>
    /// <remarks>
    /// A synthesizing character refuses another regeneration, so several poses go one after another: regenerate,
    /// wait until the character settles, regenerate the next. Each is its own paid call with its own idempotency key.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "AurousResynthesis", DefaultParameterSetName = AllById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Character))]
    public sealed class InvokeAurousResynthesisCommand : AurousCmdlet
    {
        private const string AllById = "Id";
        private const string AllByInputObject = "InputObject";
        private const string PoseById = "PoseById";
        private const string PoseByInputObject = "PoseByInputObject";

        private readonly IdempotencyKeyInput<CharacterTarget> _keyed = new IdempotencyKeyInput<CharacterTarget>(t => t.Description);
        private List<CharacterPose>? _poses;

        [Parameter(ParameterSetName = AllById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = PoseById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        [Parameter(ParameterSetName = AllByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = PoseByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Character[] InputObject { get; set; } = null!;

        /// <summary>Regenerate only these poses (1 generation each), in the order given, instead of all of them.</summary>
        [Parameter(ParameterSetName = PoseById, Mandatory = true)]
        [Parameter(ParameterSetName = PoseByInputObject, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PoseCompleter))]
        public string[] Pose { get; set; } = null!;

        /// <summary>Sent as prompt_override; the API accepts it but does not act on it yet.</summary>
        [Parameter(ParameterSetName = PoseById)]
        [Parameter(ParameterSetName = PoseByInputObject)]
        [ValidateNotNullOrEmpty]
        public string? PromptOverride { get; set; }

        /// <summary>Sends force_all: regenerate every pose even if some are populated.</summary>
        [Parameter(ParameterSetName = AllById)]
        [Parameter(ParameterSetName = AllByInputObject)]
        public SwitchParameter Force { get; set; }

        /// <summary>Makes a retried call replay instead of spending again; generated when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? IdempotencyKey { get; set; }

        protected override void Begin()
        {
            _keyed.Begin(this);

            // Not ParameterSetName: with input still to come from the pipeline, the set is not chosen yet. Poses and a
            // key typed on the command line are checked here, as the command's one error, with the documented ErrorId
            // (InvalidPose, InvalidIdempotencyKey) rather than a binding error.
            try
            {
                if (Pose != null)
                {
                    // Each pose once, in the order given: the same pose twice would pay twice for one image.
                    _poses = Pose.Select(p => AurousValidation.Pose(p)).Distinct().ToList();
                }
            }
            catch (AurousValidationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, Pose));
            }

            try
            {
                CheckKeys();
            }
            catch (AurousValidationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, IdempotencyKey));
            }
        }

        protected override void ProcessRecord()
        {
            List<CharacterTarget> targets = CharacterTarget.From(Id, InputObject).ToList();
            try
            {
                CheckKeys();
            }
            catch (AurousValidationException refusal)
            {
                string subject = string.Join(", ", targets.Select(t => AurousMessages.Subject(t.Id, t.Name)));
                RefuseInput(refusal, subject, IdempotencyKey);
                return;
            }

            foreach (CharacterTarget target in _keyed.Admit(this, IdempotencyKey, targets, t => t.ErrorTarget).ToList())
            {
                Resynthesize(target);
            }
        }

        /// <summary>The key, and every key derived from it per pose, before anything is sent: a bad one cannot stop the run after a pose was paid for.</summary>
        private void CheckKeys()
        {
            if (IdempotencyKey == null)
            {
                return;
            }

            foreach (string key in _poses == null ? new[] { IdempotencyKey } : _poses.Select(p => KeyFor(p)!))
            {
                AurousValidation.IdempotencyKey(key, nameof(IdempotencyKey));
            }
        }

        protected override void EndProcessing()
        {
            foreach (CharacterTarget target in _keyed.Release(this))
            {
                Resynthesize(target);
            }
        }

        private void Resynthesize(CharacterTarget target)
        {
            string action = _poses != null ? AurousOperations.RegenerateRefs(_poses) : AurousOperations.Resynthesize(Force);
            if (!ShouldProcess(target.Description, action))
            {
                return;
            }

            bool sent = _poses != null
                ? RegeneratePoses(target, out Character character)
                : TryRun((client, ct) => client.ResynthesizeCharacterAsync(target.Id, new ResynthesizeRequest { ForceAll = Force, IdempotencyKey = IdempotencyKey }, ct), target.ErrorTarget, out character);
            if (sent)
            {
                WriteCharacter(character);
            }
        }

        /// <summary>One pose keeps the user's key as given; with several, each pose's key is the key plus its pose.</summary>
        private string? KeyFor(CharacterPose pose) =>
            IdempotencyKey == null || _poses!.Count == 1 ? IdempotencyKey : $"{IdempotencyKey}-{pose.ToString().ToLowerInvariant()}";

        private bool RegeneratePoses(CharacterTarget target, out Character character)
        {
            character = null!;
            var progress = new ProgressRecord(ProgressActivities.RegeneratePoses, $"Regenerating poses of {target.Description}", "Starting");
            try
            {
                for (int i = 0; i < _poses!.Count; i++)
                {
                    CharacterPose pose = _poses[i];
                    if (i > 0 && !WaitUntilSettled(target, progress, $"Waiting for the {_poses[i - 1]} pose before regenerating {pose}", i))
                    {
                        ReportUnfinished(target, i);
                        return false;
                    }

                    progress.StatusDescription = $"Regenerating {pose} ({i + 1} of {_poses.Count})";
                    progress.PercentComplete = i * 100 / _poses.Count;
                    WriteProgress(progress);
                    var request = new RegenerateRefRequest { Pose = pose, PromptOverride = PromptOverride, IdempotencyKey = KeyFor(pose) };
                    if (!TryRun((client, ct) => client.RegenerateRefAsync(target.Id, request, ct), target.ErrorTarget, out character, key => FinishPose(target, pose, key)))
                    {
                        ReportUnfinished(target, i);
                        return false;
                    }
                }

                return true;
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        /// <summary>
        /// Re-running the whole command is right only with the user's own key (each pose's key derives from it again);
        /// with generated keys it would pay again for the poses already done, so the pose is named on its own.
        /// </summary>
        private string FinishPose(CharacterTarget target, CharacterPose pose, string key) =>
            IdempotencyKey != null && _poses!.Count > 1
                ? $"Run the same command with -IdempotencyKey '{IdempotencyKey}' to finish it: the poses already regenerated replay at no charge."
                : $"Run Invoke-AurousResynthesis -Id {target.Id} -Pose {pose} -IdempotencyKey '{key}' to finish this pose.";

        private bool WaitUntilSettled(CharacterTarget target, ProgressRecord progress, string status, int done)
        {
            progress.StatusDescription = status;
            progress.PercentComplete = done * 100 / _poses!.Count;
            WriteProgress(progress);
            WriteVerbose($"{target.Description}: {status}; a synthesizing character refuses another regeneration.");

            CharacterWaitResult? settled = null;
            bool ran = TryRun(
                async (client, ct) =>
                {
                    await foreach (CharacterWaitResult result in client.WaitForCharactersAsync(new[] { target.Id }, null, ct).ConfigureAwait(false))
                    {
                        settled = result;
                    }
                },
                target.ErrorTarget);
            if (!ran || settled == null)
            {
                return false;
            }

            if (settled.Outcome != CharacterWaitOutcome.Settled)
            {
                WriteError(AurousErrorRecords.FromWait(settled, (object?)settled.Character ?? target.ErrorTarget, null));
                return false;
            }

            return true;
        }

        // Says which poses were paid for and which were not, so a rerun can name just the rest; the error said why.
        private void ReportUnfinished(CharacterTarget target, int failedAt)
        {
            if (_poses!.Count == 1)
            {
                return;
            }

            string done = failedAt == 0 ? "none" : string.Join(", ", _poses!.Take(failedAt));
            WriteWarning($"{target.Description}: regenerated {done}; not regenerated: {string.Join(", ", _poses!.Skip(failedAt))}.");
        }
    }
}
