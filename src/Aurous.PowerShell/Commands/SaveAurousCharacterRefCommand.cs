using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Writes a character's reference images to a folder, one file per pose named &lt;id&gt;-&lt;pose&gt;.&lt;ext&gt;, and emits
    /// the files. Downloads never carry the API key; an expired ref URL is renewed once by re-reading the character.
    /// </summary>
    [Cmdlet(VerbsData.Save, "AurousCharacterRef", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveAurousCharacterRefCommand : CharacterTargetCmdlet
    {
        private const int ProgressId = 4;
        private int _done;
        private int _planned;

        /// <summary>Only these poses; every ref the character has when left out.</summary>
        [Parameter]
        [ValidateSet("Portrait", "Front", "Side", "Back", "Other", IgnoreCase = true)]
        public string[]? Pose { get; set; }

        /// <summary>The folder to write into; created when missing. The current location by default.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".";

        /// <summary>Replaces files already saved for the same character and pose instead of skipping them.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            string directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            var poses = Pose?.Select(p => (CharacterPose)Enum.Parse(typeof(CharacterPose), p, ignoreCase: true)).ToList();
            foreach (CharacterTarget target in Targets)
            {
                Character? character = target.ErrorTarget as Character;
                if (character == null && !TryRun((client, ct) => client.GetCharacterAsync(target.Id, ct), target.ErrorTarget, out character))
                {
                    continue;
                }

                Save(RefFiles.Plan(character!, poses, directory), directory);
            }
        }

        protected override void EndProcessing()
        {
            if (_planned > 0)
            {
                WriteProgress(new ProgressRecord(ProgressId, "Saving Aurous refs", "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private void Save(RefPlan plan, string directory)
        {
            foreach (AurousException missing in plan.Missing)
            {
                WriteError(AurousErrorRecords.From(missing, directory));
            }

            var files = new List<RefFile>();
            foreach (RefFile file in plan.Files)
            {
                if (file.ExistingPath != null && !Force)
                {
                    WriteVerbose($"Skipping {file.Description}: {file.ExistingPath} exists. Use -Force to replace it.");
                    continue;
                }

                if (ShouldProcess(System.IO.Path.Combine(directory, file.BaseName + ".*"), $"Save {file.Description}"))
                {
                    files.Add(file);
                }
            }

            if (files.Count == 0)
            {
                return;
            }

            Directory.CreateDirectory(directory);
            _planned += files.Count;
            TryRun((client, ct) => client.SaveRefFilesAsync(files, Force, result => Post(() => Report(result)), ct), directory);
        }

        private void Report(RefFileResult result)
        {
            _done++;
            WriteProgress(new ProgressRecord(ProgressId, "Saving Aurous refs", $"{_done} of {_planned} files")
            {
                PercentComplete = Math.Min(100, _done * 100 / Math.Max(1, _planned)),
                CurrentOperation = result.File.Description,
            });
            if (result.Error != null)
            {
                WriteError(AurousErrorRecords.From(result.Error, result.File.CharacterId));
            }
            else if (result.Skipped)
            {
                WriteVerbose($"Skipping {result.File.Description}: {result.Path} exists. Use -Force to replace it.");
            }
            else
            {
                WriteObject(new FileInfo(result.Path));
            }
        }
    }
}
