using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Text;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Shows characters' poses for review: a standalone page (opened in the browser, or written to -Path), or inline in
    /// a terminal that draws images. With -Review it asks, character by character, whether to save, regenerate poses,
    /// resynthesize, skip or delete, and emits each character as it stands afterwards.
    /// </summary>
    /// <remarks>
    /// The characters are collected first, so the images download a few at a time across all of them with one
    /// progress bar, as Save-AurousCharacterRef's files do. Each -Review action makes the same client call, with the
    /// same ShouldProcess wording and cost, as the cmdlet that owns it (Save-AurousCharacter,
    /// Invoke-AurousResynthesis, Remove-AurousCharacter), so -WhatIf and -Confirm behave as they do there.
    /// </remarks>
    [Cmdlet(VerbsCommon.Show, "AurousCharacter", DefaultParameterSetName = PageByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo), ParameterSetName = new[] { PageById, PageByInputObject })]
    [OutputType(typeof(Character), ParameterSetName = new[] { ReviewById, ReviewByInputObject })]
    public sealed class ShowAurousCharacterCommand : AurousCmdlet
    {
        private const string PageById = "Id";
        private const string PageByInputObject = "InputObject";
        private const string TerminalById = "TerminalById";
        private const string TerminalByInputObject = "TerminalByInputObject";
        private const string ReviewById = "ReviewById";
        private const string ReviewByInputObject = "ReviewByInputObject";

        private static readonly CharacterPose[] RegenerablePoses = { CharacterPose.Portrait, CharacterPose.Front, CharacterPose.Side, CharacterPose.Back, CharacterPose.Other };

        private readonly List<(Character Character, object ErrorTarget)> _characters = new List<(Character, object)>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private bool _interactive;

        [Parameter(ParameterSetName = PageById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = TerminalById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ReviewById, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("CharacterId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CharacterIdCompleter))]
        public string[] Id { get; set; } = null!;

        [Parameter(ParameterSetName = PageByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = TerminalByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = ReviewByInputObject, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Character[] InputObject { get; set; } = null!;

        /// <summary>Where the page goes (a file, or a folder for a file named by the time); it is then not opened.</summary>
        [Parameter(ParameterSetName = PageById, Position = 1)]
        [Parameter(ParameterSetName = PageByInputObject, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Emits the page's FileInfo.</summary>
        [Parameter(ParameterSetName = PageById)]
        [Parameter(ParameterSetName = PageByInputObject)]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Draws the poses in the terminal, even where the session would show the page.</summary>
        [Parameter(ParameterSetName = TerminalById, Mandatory = true)]
        [Parameter(ParameterSetName = TerminalByInputObject, Mandatory = true)]
        [Parameter(ParameterSetName = ReviewById)]
        [Parameter(ParameterSetName = ReviewByInputObject)]
        public SwitchParameter InTerminal { get; set; }

        /// <summary>Asks, for each character, what to do with it, and emits it as it stands afterwards.</summary>
        [Parameter(ParameterSetName = ReviewById, Mandatory = true)]
        [Parameter(ParameterSetName = ReviewByInputObject, Mandatory = true)]
        public SwitchParameter Review { get; set; }

        protected override void Begin()
        {
            _interactive = InteractiveSession.IsInteractive(Host);
            if (Review && !_interactive)
            {
                var refused = new AurousException(
                    "Show-AurousCharacter -Review asks what to do with each character, and this session cannot ask: PowerShell runs with -NonInteractive, or in a host without a console. Run it in an interactive session, or write the page with Show-AurousCharacter -Path and act on it with Save-AurousCharacter and Invoke-AurousResynthesis.",
                    AurousErrors.NonInteractiveSession);
                ThrowTerminatingError(AurousErrorRecords.From(refused, null));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (CharacterTarget target in CharacterTarget.From(Id, InputObject))
            {
                if (!_seen.Add(target.Id))
                {
                    continue;
                }

                if (target.ErrorTarget is Character given)
                {
                    _characters.Add((given, given));
                }
                else if (TryRun((client, ct) => client.GetCharacterAsync(target.Id, ct), target.ErrorTarget, out Character read))
                {
                    RecentCharacterIds.Remember(read);
                    _characters.Add((read, target.ErrorTarget));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_characters.Count == 0)
            {
                return;
            }

            List<RefImage> images = Download();
            TerminalGraphics terminal = ChooseTerminal();
            if (terminal == TerminalGraphics.None)
            {
                // Declined (-WhatIf) or not, a review still asks: -WhatIf then shows what each answer would do.
                string? page = WritePage(images);
                if (page != null && Path == null && _interactive)
                {
                    Open(page);
                }

                if (page != null && PassThru)
                {
                    WriteObject(new FileInfo(page));
                }
            }

            foreach ((Character character, object errorTarget) in _characters)
            {
                if (terminal != TerminalGraphics.None)
                {
                    Draw(character, images.Where(i => i.Character.Id == character.Id), terminal);
                }

                if (Review)
                {
                    Decide(character, errorTarget);
                }
            }
        }

        /// <summary>Every character's images, reported in order; each one that failed is an error about its character.</summary>
        private List<RefImage> Download()
        {
            var images = new List<RefImage>();
            int total = _characters.Sum(c => c.Character.Refs.Select(r => r.Pose).Distinct().Count());
            if (total == 0)
            {
                return images;
            }

            var progress = new ProgressRecord(ProgressActivities.ShowRefs, "Downloading Aurous ref images", $"0 of {total} images");
            WriteProgress(progress);
            try
            {
                TryRun(
                    (client, ct) => client.LoadRefImagesAsync(_characters.Select(c => c.Character), image => Post(() =>
                    {
                        images.Add(image);
                        progress.StatusDescription = $"{images.Count} of {total} images";
                        progress.PercentComplete = Math.Min(100, images.Count * 100 / total);
                        WriteProgress(progress);
                    }), ct),
                    null);
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            var order = _characters.Select((c, i) => (c.Character.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
            images.Sort((a, b) => order[a.Character.Id] != order[b.Character.Id] ? order[a.Character.Id].CompareTo(order[b.Character.Id]) : a.Pose.CompareTo(b.Pose));
            foreach (RefImage failed in images.Where(i => i.Error != null))
            {
                WriteError(AurousErrorRecords.From(failed.Error!, ErrorTargetOf(failed.Character)));
            }

            return images;
        }

        /// <summary>
        /// The terminal protocol to draw with, or None for the page: -InTerminal asks for the terminal (the page when it
        /// draws no images, said once); otherwise an interactive console whose terminal draws images gets them inline.
        /// </summary>
        private TerminalGraphics ChooseTerminal()
        {
            if (!InTerminal && (Path != null || !_interactive || Console.IsOutputRedirected))
            {
                return TerminalGraphics.None;
            }

            TerminalGraphics protocol = TerminalImages.Detect(Environment.GetEnvironmentVariable);
            if (protocol == TerminalGraphics.None && InTerminal)
            {
                WriteWarning("This terminal is not one known to draw images (iTerm2, WezTerm, VS Code, kitty, ghostty, Windows Terminal 1.22+, foot, mlterm; not inside tmux or screen). Showing the review page instead.");
            }

            return protocol;
        }

        /// <summary>Writes the page to -Path, or to a new file in the temporary folder; null when -WhatIf or declined.</summary>
        private string? WritePage(List<RefImage> images)
        {
            string file = PageFile();
            int shown = images.Count(i => i.Error == null);
            if (!ShouldProcess(file, AurousOperations.WriteReviewPage(_characters.Count, shown)))
            {
                return null;
            }

            string html = ContactSheet.Build(_characters.Select(c => c.Character).ToList(), images, DateTimeOffset.Now);
            try
            {
                File.WriteAllText(file, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
            {
                var failed = new AurousException($"Could not write the review page to {file}: {e.Message} Check that the folder exists and can be written, and that the disk has room.", AurousErrors.ReviewPageWriteFailed);
                ThrowTerminatingError(AurousErrorRecords.From(failed, file));
            }

            WriteVerbose($"Wrote the review page of {_characters.Count} character(s) with {shown} image(s) to {file} ({html.Length} characters).");
            return file;
        }

        private string PageFile()
        {
            string name = $"aurous-review-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N").Substring(0, 6)}.html";
            if (Path == null)
            {
                return System.IO.Path.Combine(System.IO.Path.GetTempPath(), name);
            }

            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out ProviderInfo provider, out _);
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                var notAFile = new AurousException($"-Path '{Path}' is on the {provider.Name} provider; the review page needs a file-system path, such as ./review.html.", AurousErrors.ReviewPageWriteFailed);
                ThrowTerminatingError(AurousErrorRecords.From(notAFile, Path));
            }

            return Directory.Exists(resolved) ? System.IO.Path.Combine(resolved, name) : resolved;
        }

        private void Open(string page)
        {
            string? problem = DefaultBrowser.TryOpen(page);
            if (problem == null)
            {
                WriteVerbose($"Opened {page} in the default browser.");
            }
            else
            {
                WriteWarning($"Could not open the review page in a browser ({problem}). Open {page} yourself.");
            }
        }

        private void Draw(Character character, IEnumerable<RefImage> images, TerminalGraphics protocol)
        {
            int width;
            try
            {
                width = Host.UI.RawUI.WindowSize.Width;
            }
            catch (Exception e) when (e is NotImplementedException or NotSupportedException or HostException or IOException)
            {
                width = 0;
            }

            // Failed downloads were reported with the download; here only pictures that could not be drawn.
            var failures = new List<AurousException>();
            Host.UI.Write(TerminalSheet.Render(character, images, protocol, width > 0 ? width : (4 * TerminalSheet.Stride) + 2, failures));
            foreach (AurousException failure in failures)
            {
                WriteError(AurousErrorRecords.From(failure, ErrorTargetOf(character)));
            }
        }

        /// <summary>Asks what to do with <paramref name="character"/>, does it, and emits the character as it then stands.</summary>
        private void Decide(Character character, object errorTarget)
        {
            CharacterTarget target = CharacterTarget.Of(character, errorTarget);
            var choices = new Collection<ChoiceDescription>
            {
                new ChoiceDescription("&Save", AurousOperations.Save()),
                new ChoiceDescription("&Regenerate poses…", AurousOperations.RegenerateChosen()),
                new ChoiceDescription("Resynthesize &all", AurousOperations.Resynthesize(forceAll: false)),
                new ChoiceDescription("S&kip", "Leave it as it is"),
                new ChoiceDescription("&Delete", AurousOperations.Delete()),
            };
            int choice = Ask(() => Host.UI.PromptForChoice($"Review {target.Description}", $"It is {character.Status.ToLowerInvariant()}. What should happen to it?", choices, 3));
            Character? after = character;
            switch (choice)
            {
                case 0:
                    if (ShouldProcess(target.Description, AurousOperations.Save())
                        && !TryRun((client, ct) => client.SaveCharacterAsync(character.Id, ct), errorTarget, out after))
                    {
                        return;
                    }

                    break;
                case 1:
                    List<CharacterPose> poses = Ask(() => AskPoses(target.Description));
                    if (poses.Count == 0)
                    {
                        WriteVerbose($"{target.Description}: no pose chosen, so nothing was regenerated.");
                    }
                    else if (ShouldProcess(target.Description, AurousOperations.RegenerateRefs(poses)) && !Regenerate(target, poses, out after))
                    {
                        return;
                    }

                    break;
                case 2:
                    if (ShouldProcess(target.Description, AurousOperations.Resynthesize(forceAll: false))
                        && !TryRun((client, ct) => client.ResynthesizeCharacterAsync(character.Id, new ResynthesizeRequest(), ct), errorTarget, out after))
                    {
                        return;
                    }

                    break;
                case 4:
                    if (!ShouldProcess(target.Description, AurousOperations.Delete()))
                    {
                        break;
                    }

                    if (TryRun((client, ct) => client.DeleteCharacterAsync(character.Id, ct), errorTarget))
                    {
                        RecentCharacterIds.Forget(character.Id);
                    }

                    return;
            }

            WriteCharacter(after);
        }

        /// <summary>
        /// A prompt's answer. A console whose input has ended (a script fed through standard input) throws from inside
        /// the host; that ends the review, with the characters not yet reviewed left as they are.
        /// </summary>
        private T Ask<T>(Func<T> prompt)
        {
            try
            {
                return prompt();
            }
            catch (Exception e) when (e is NullReferenceException or PSInvalidOperationException or HostException or InvalidOperationException or IOException)
            {
                var ended = new AurousException($"Show-AurousCharacter -Review got no answer: {(e is NullReferenceException ? "the input ended" : AurousMessages.Clause(e.Message))}. The characters not yet reviewed are left as they are; run it again in an interactive session.", AurousErrors.NonInteractiveSession);
                ThrowTerminatingError(AurousErrorRecords.From(ended, null));
                throw; // unreachable: ThrowTerminatingError always throws
            }
        }

        /// <summary>Which poses to regenerate: the host's multiple-choice prompt, or a comma-separated answer where it has none.</summary>
        private List<CharacterPose> AskPoses(string description)
        {
            string caption = $"Regenerate poses of {description}";
            string message = $"Which poses? ({AurousMessages.Credits(AurousOperations.CreditCosts.RegenerateRef)} each; an empty answer ends the list)";
            if (Host.UI is IHostUISupportsMultipleChoiceSelection multiple)
            {
                var choices = new Collection<ChoiceDescription>(RegenerablePoses.Select(p => new ChoiceDescription("&" + p, AurousOperations.RegenerateRef(p))).ToList());
                return multiple.PromptForChoice(caption, message, choices, Array.Empty<int>()).Distinct().OrderBy(i => i).Select(i => RegenerablePoses[i]).ToList();
            }

            var field = new FieldDescription("Poses") { HelpMessage = "Portrait, Front, Side, Back or Other, separated by commas" };
            Dictionary<string, PSObject> answer = Host.UI.Prompt(caption, message + ": Portrait, Front, Side, Back, Other", new Collection<FieldDescription> { field });
            string text = answer.TryGetValue("Poses", out PSObject? value) ? value?.ToString() ?? string.Empty : string.Empty;
            return text.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => RegenerablePoses.FirstOrDefault(r => r.ToString().StartsWith(p.Trim(), StringComparison.OrdinalIgnoreCase)))
                .Where(p => p != CharacterPose.Unknown)
                .Distinct()
                .OrderBy(p => p)
                .ToList();
        }

        /// <summary>
        /// The poses one after another, as Invoke-AurousResynthesis -Pose does: a synthesizing character refuses another
        /// regeneration, so each waits until the one before has settled.
        /// </summary>
        private bool Regenerate(CharacterTarget target, IReadOnlyList<CharacterPose> poses, out Character character)
        {
            character = null!;
            for (int i = 0; i < poses.Count; i++)
            {
                CharacterPose pose = poses[i];
                if (i > 0 && !WaitUntilSettled(target, poses[i - 1], pose))
                {
                    return false;
                }

                var request = new RegenerateRefRequest { Pose = pose };
                if (!TryRun((client, ct) => client.RegenerateRefAsync(target.Id, request, ct), target.ErrorTarget, out character, key => $"Run Invoke-AurousResynthesis -Id {target.Id} -Pose {pose} -IdempotencyKey '{key}' to finish this pose."))
                {
                    if (i > 0)
                    {
                        WriteWarning($"{target.Description}: regenerated {string.Join(", ", poses.Take(i))}; not regenerated: {string.Join(", ", poses.Skip(i))}.");
                    }

                    return false;
                }
            }

            return true;
        }

        private bool WaitUntilSettled(CharacterTarget target, CharacterPose previous, CharacterPose next)
        {
            WriteVerbose($"{target.Description}: waiting for the {previous} pose before regenerating {next}; a synthesizing character refuses another regeneration.");
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
            if (ran && settled != null && settled.Outcome != CharacterWaitOutcome.Settled)
            {
                WriteError(AurousErrorRecords.FromWait(settled, (object?)settled.Character ?? target.ErrorTarget, null));
            }

            return ran && settled?.Outcome == CharacterWaitOutcome.Settled;
        }

        private object ErrorTargetOf(Character character) =>
            _characters.FirstOrDefault(c => c.Character.Id == character.Id).ErrorTarget ?? character;
    }
}
