using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Aurous.PowerShell.Tests;

/// <summary>
/// A non-interactive host that records what a user would see (the "What if:" lines, the -Confirm prompts)
/// and answers every confirmation with a fixed choice, so ShouldProcess is tested as a user meets it.
/// </summary>
internal sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface _ui = new();

    public override string Name => "AurousTestHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <summary>Lines written to the host: What if: messages among them.</summary>
    public IReadOnlyList<string> Lines => _ui.Lines;

    /// <summary>Each confirmation prompt as "caption|message".</summary>
    public IReadOnlyList<string> Prompts => _ui.Prompts;

    /// <summary>The label (e.g. "&amp;No") of the choice every prompt gets.</summary>
    public string ConfirmAnswer { get => _ui.Answer; set => _ui.Answer = value; }

    public void Clear() => _ui.Clear();

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly List<string> _lines = new();
        private readonly List<string> _prompts = new();

        public string Answer { get; set; } = "&No";

        public IReadOnlyList<string> Lines { get { lock (_lines) { return _lines.ToList(); } } }

        public IReadOnlyList<string> Prompts { get { lock (_lines) { return _prompts.ToList(); } } }

        public override PSHostRawUserInterface? RawUI => null;

        public void Clear()
        {
            lock (_lines)
            {
                _lines.Clear();
                _prompts.Clear();
            }
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (_lines)
            {
                _prompts.Add(caption + "|" + message);
            }

            int index = choices.ToList().FindIndex(c => c.Label == Answer);
            return index >= 0 ? index : throw new InvalidOperationException($"no choice '{Answer}' among {string.Join(", ", choices.Select(c => c.Label))}");
        }

        public override void WriteLine(string value) => Record(value);

        public override void Write(string value) => Record(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Record(value);

        public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Record(value);

        public override void WriteErrorLine(string value) => Record(value);

        public override void WriteDebugLine(string message) => Record(message);

        public override void WriteVerboseLine(string message) => Record(message);

        public override void WriteWarningLine(string message) => Record(message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override string ReadLine() => throw new NotSupportedException("tests never read input");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("tests never read input");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("tests never prompt for input");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        private void Record(string value)
        {
            lock (_lines)
            {
                _lines.Add(value);
            }
        }
    }
}
