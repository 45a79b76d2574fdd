using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Saves characters' ref images as files named &lt;id&gt;-&lt;pose&gt;.&lt;ext&gt; and emits each file written. Collects the
    /// characters first, so the downloads run a few at a time across all of them with one progress bar; the API key
    /// never goes with a download (the URL is its own credential). A file already saved is kept and emitted as well.
    /// </summary>
    [Cmdlet(VerbsData.Save, "AurousCharacterRef", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveAurousCharacterRefCommand : CharacterTargetCmdlet
    {
        private readonly List<(Character Character, object ErrorTarget)> _characters = new List<(Character, object)>();
        private readonly Dictionary<string, object> _errorTargets = new Dictionary<string, object>(StringComparer.Ordinal);
        private readonly Dictionary<RefFile, int> _order = new Dictionary<RefFile, int>();
        private readonly SortedDictionary<int, Action> _waiting = new SortedDictionary<int, Action>();
        private CharacterPose[]? _poses;
        private int _next;
        private int _done;
        private int _total;

        /// <summary>Only these poses; every ref the character has when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PoseCompleter))]
        public string[]? Pose { get; set; }

        /// <summary>The folder the files go to (created when missing); the current location when omitted.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".";

        /// <summary>Replace files already saved for the same character and pose.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>A pose outside the five is InvalidPose, the command's one error, before anything is read or written.</summary>
        protected override void Begin()
        {
            try
            {
                _poses = Pose?.Select(p => AurousValidation.Pose(p)).ToArray();
            }
            catch (AurousValidationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, Pose));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (CharacterTarget target in Targets)
            {
                if (_errorTargets.ContainsKey(target.Id))
                {
                    continue;
                }

                if (target.ErrorTarget is Character given)
                {
                    Add(given, given);
                }
                else if (TryRun((client, ct) => client.GetCharacterAsync(target.Id, ct), target.ErrorTarget, out Character read))
                {
                    RecentCharacterIds.Remember(read);
                    Add(read, target.ErrorTarget);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_characters.Count == 0)
            {
                return;
            }

            string directory = Folder();
            var files = new List<RefFile>();
            var kept = new List<RefFile>();
            foreach ((Character character, object errorTarget) in _characters)
            {
                RefPlan plan = RefFiles.Plan(character, _poses, directory);
                foreach (AurousException missing in plan.Missing)
                {
                    WriteError(AurousErrorRecords.From(missing, errorTarget));
                }

                foreach (RefFile file in plan.Files)
                {
                    if (file.ExistingPath != null && !Force)
                    {
                        _order[file] = _order.Count;
                        kept.Add(file);
                    }
                    else if (ShouldProcess(file.ToString(), AurousOperations.SaveRef(file)))
                    {
                        _order[file] = _order.Count;
                        files.Add(file);
                    }
                }
            }

            // A file already saved is not downloaded again, but written like a downloaded one: a re-run gives the
            // same output as the first run, and whatever reads it finds every file.
            foreach (RefFile file in kept)
            {
                Ready(file, () =>
                {
                    WriteVerbose($"Skipping {file.Description}: {file.ExistingPath} already exists. Use -Force to replace it.");
                    WriteObject(new FileInfo(file.ExistingPath!));
                });
            }

            if (files.Count == 0)
            {
                return;
            }

            _total = files.Count;
            WriteProgress(Progress(null));
            try
            {
                TryRun((client, ct) => client.SaveRefFilesAsync(files, Force, result => Post(() => Report(result)), ct), directory);
            }
            finally
            {
                ProgressRecord done = Progress(null);
                done.RecordType = ProgressRecordType.Completed;
                WriteProgress(done);
            }
        }

        private void Add(Character character, object errorTarget)
        {
            _errorTargets[character.Id] = errorTarget;
            _characters.Add((character, errorTarget));
        }

        /// <summary>The folder as a file-system path, resolved against the current location as any PowerShell path is.</summary>
        private string Folder()
        {
            string directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out ProviderInfo provider, out _);
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                var notAFolder = new AurousException($"-Path '{Path}' is on the {provider.Name} provider; ref files need a file-system folder, such as ./refs.", AurousErrors.RefFileWriteFailed);
                ThrowTerminatingError(AurousErrorRecords.From(notAFolder, Path));
            }

            return directory;
        }

        /// <summary>
        /// Downloads finish in any order; results are written in the planned order (character by character, poses in
        /// the character's order), so the output reads the same every time. Progress moves with every finished file.
        /// </summary>
        private void Report(RefFileResult result)
        {
            _done++;
            Ready(result.File, () => Write(result));
            WriteProgress(Progress(result));
        }

        /// <summary>Writes <paramref name="file"/>'s output, and any after it that were waiting, once all before it are written.</summary>
        private void Ready(RefFile file, Action write)
        {
            _waiting[_order[file]] = write;
            while (_waiting.TryGetValue(_next, out Action? next))
            {
                _waiting.Remove(_next++);
                next();
            }
        }

        private void Write(RefFileResult result)
        {
            if (result.Error != null)
            {
                WriteError(AurousErrorRecords.From(result.Error, _errorTargets[result.File.CharacterId]));
            }
            else if (result.Skipped)
            {
                WriteVerbose($"Skipping {result.File.Description}: {result.Path} appeared while it downloaded. Use -Force to replace it.");
                WriteObject(new FileInfo(result.Path!));
            }
            else
            {
                WriteVerbose($"Saved {result.File.Description} to {result.Path} ({result.Length} bytes).");
                WriteObject(new FileInfo(result.Path!));
            }
        }

        // A new record each time: hosts and the progress stream keep the instance they are given.
        private ProgressRecord Progress(RefFileResult? last) =>
            new ProgressRecord(ProgressActivities.SaveRefs, "Saving Aurous ref images", $"{_done} of {_total} files")
            {
                PercentComplete = _total == 0 ? 100 : _done * 100 / _total,
                CurrentOperation = last?.Path ?? string.Empty,
            };
    }
}
