using System;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Reruns synthesis: every pose (4 generations) or, with -Pose, one pose (1 generation). Emits the character,
    /// now synthesizing, so it chains into Wait-AurousCharacter.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AurousResynthesis", DefaultParameterSetName = AllById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Character))]
    public sealed class InvokeAurousResynthesisCommand : AurousCmdlet
    {
        private const string AllById = "Id";
        private const string AllByInputObject = "InputObject";
        private const string PoseById = "PoseById";
        private const string PoseByInputObject = "PoseByInputObject";

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

        /// <summary>Regenerate only this pose (1 generation) instead of all of them.</summary>
        [Parameter(ParameterSetName = PoseById, Mandatory = true)]
        [Parameter(ParameterSetName = PoseByInputObject, Mandatory = true)]
        [ValidateSet("portrait", "front", "side", "back", "other")]
        public string Pose { get; set; } = null!;

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
        [ValidateLength(1, 256)]
        public string? IdempotencyKey { get; set; }

        protected override void ProcessRecord()
        {
            bool onePose = ParameterSetName == PoseById || ParameterSetName == PoseByInputObject;
            var pose = onePose ? (CharacterPose)Enum.Parse(typeof(CharacterPose), Pose, ignoreCase: true) : CharacterPose.Unknown;
            string action = onePose ? AurousOperations.RegenerateRef(pose) : AurousOperations.Resynthesize(Force);

            foreach (CharacterTarget target in CharacterTarget.From(Id, InputObject))
            {
                if (!ShouldProcess(target.Description, action))
                {
                    continue;
                }

                bool sent = onePose
                    ? TryRun((client, ct) => client.RegenerateRefAsync(target.Id, new RegenerateRefRequest { Pose = pose, PromptOverride = PromptOverride, IdempotencyKey = IdempotencyKey }, ct), target.ErrorTarget, out Character character)
                    : TryRun((client, ct) => client.ResynthesizeCharacterAsync(target.Id, new ResynthesizeRequest { ForceAll = Force, IdempotencyKey = IdempotencyKey }, ct), target.ErrorTarget, out character);
                if (sent)
                {
                    WriteCharacter(character);
                }
            }
        }
    }
}
