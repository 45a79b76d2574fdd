using System;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// What every Aurous cmdlet shares: finding the context, one client per invocation whose log lines become
    /// -Verbose/-Debug output (and its noticeable waits, progress), running its async calls on the pipeline's terms (Ctrl+C cancels them), and mapping
    /// client errors to ErrorRecords. Derived cmdlets hold their parameters and make one call per input.
    /// </summary>
    public abstract class AurousCmdlet : PSCmdlet, IDisposable
    {
        // A compiled cmdlet gets no $_: the engine keeps the object being processed on this internal property (since
        // PowerShell 1.0, Windows PowerShell 5.1 included), and an error about a bad input row should point at the row.
        private static readonly PropertyInfo? CurrentPipelineObject =
            typeof(InternalCommand).GetProperty("CurrentPipelineObject", BindingFlags.Instance | BindingFlags.NonPublic);

        // Never disposed: it registers no timer and may still be cancelled by StopProcessing on another thread.
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly PipelineThreadDispatcher _dispatcher;
        private readonly WaitProgress _waitProgress;
        private AurousClient? _client;

        protected AurousCmdlet()
        {
            _dispatcher = new PipelineThreadDispatcher(_stopping);
            _waitProgress = new WaitProgress(_dispatcher, WriteProgress);
        }

        /// <summary>
        /// Created on first use so cmdlets that send nothing (-WhatIf) need no key. Without any key the
        /// configuration is broken for every input, so that is the one terminating error.
        /// </summary>
        protected AurousClient Client => _client ??= CreateClient();

        /// <summary>
        /// Runs a client call; an Aurous error becomes a non-terminating error about <paramref name="target"/>. A paid
        /// call that may have been charged says how to finish it: <paramref name="finish"/>, given its key, or by
        /// default the same command with that -IdempotencyKey.
        /// </summary>
        protected bool TryRun<T>(Func<AurousClient, CancellationToken, Task<T>> call, object? target, out T result, Func<string, string>? finish = null)
        {
            AurousClient client = Client;
            return TryRunLocal(ct => call(client, ct), target, out result, finish);
        }

        /// <summary>The same for a call that needs no API client (and so no key): the emulator's process and control calls.</summary>
        protected bool TryRunLocal<T>(Func<CancellationToken, Task<T>> call, object? target, out T result, Func<string, string>? finish = null)
        {
            try
            {
                result = Run(call);
                return true;
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, target));
                throw; // unreachable: ThrowTerminatingError always throws
            }
            catch (AurousException exception)
            {
                WriteError(AurousErrorRecords.From(exception, target, finish));
                result = default!;
                return false;
            }
        }

        /// <summary>Runs a call on the pipeline's terms (Ctrl+C, Write* on this thread); its errors are the caller's to report.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> call)
        {
            try
            {
                return _dispatcher.Run(call);
            }
            finally
            {
                // A stopping pipeline takes no more records; its host clears the bar itself.
                _waitProgress.Close(writable: !_stopping.IsCancellationRequested);
            }
        }

        /// <summary>Like <see cref="TryRun{T}"/> for work that reports through <see cref="Post"/> instead of a result.</summary>
        protected bool TryRun(Func<AurousClient, CancellationToken, Task> call, object? target) =>
            TryRun<bool>(async (client, ct) =>
            {
                await call(client, ct).ConfigureAwait(false);
                return true;
            }, target, out _);

        /// <summary>The pipeline object this record was bound from (a CSV row, a piped string); null without pipeline input.</summary>
        protected object? PipelineInput
        {
            get
            {
                if (!MyInvocation.ExpectingInput || !(CurrentPipelineObject?.GetValue(this) is PSObject input))
                {
                    return null;
                }

                // A PSCustomObject is its properties, which only the wrapper holds; anything else is its base object.
                return input.BaseObject is PSCustomObject ? input : input.BaseObject;
            }
        }

        /// <summary>
        /// Input refused before anything was sent. From the pipeline, a non-terminating error about that row alone: its
        /// message starts with <paramref name="subject"/> (what names the row), its TargetObject is the row, and the
        /// pipeline goes on with the next. Typed on the command line, it is the command's one, terminating, error.
        /// </summary>
        /// <param name="refusal">the client's error, with the documented ErrorId.</param>
        /// <param name="subject">"New character 'Aurora'", "Character char_…", "Input row 3".</param>
        /// <param name="target">the TargetObject when there is no pipeline row: the value given.</param>
        protected void RefuseInput(AurousValidationException refusal, string subject, object? target)
        {
            var about = new AurousValidationException($"{subject}: {refusal.Message}", refusal.ErrorId, refusal.ParameterName);
            if (!MyInvocation.ExpectingInput)
            {
                ThrowTerminatingError(AurousErrorRecords.From(about, target));
            }

            WriteError(AurousErrorRecords.From(about, PipelineInput ?? target));
        }

        /// <summary>Like <see cref="TryRunLocal{T}"/> for a call with no result.</summary>
        protected bool TryRunLocal(Func<CancellationToken, Task> call, object? target) =>
            TryRunLocal<bool>(async ct =>
            {
                await call(ct).ConfigureAwait(false);
                return true;
            }, target, out _);

        /// <summary>Queues work for the pipeline thread (Write* calls) from inside a running call.</summary>
        protected void Post(Action action) => _dispatcher.Post(action);

        /// <summary>
        /// Sealed so every cmdlet gets -Debug without prompts (see <see cref="DebugSwitch"/>) before it writes
        /// anything; cmdlets put their own start in <see cref="Begin"/>.
        /// </summary>
        protected sealed override void BeginProcessing()
        {
            DebugSwitch.WriteDebugLinesOnly(this);
            Begin();
        }

        /// <summary>The cmdlet's BeginProcessing: runs once, after the parameters that do not come from the pipeline are bound.</summary>
        protected virtual void Begin()
        {
        }

        /// <summary>Emits a character and remembers its id for -Id completion.</summary>
        protected void WriteCharacter(Character character)
        {
            RecentCharacterIds.Remember(character);
            WriteObject(character);
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _waitProgress.Close(writable: false);
            _client?.Dispose();
            _client = null;
        }

        private AurousClient CreateClient()
        {
            AurousContext? context;
            try
            {
                context = AurousContextStore.Resolve();
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, null));
                throw;
            }

            if (context == null)
            {
                var missing = new AurousConfigurationException($"No Aurous API key. Run Connect-Aurous -ApiKey (Read-Host -AsSecureString), or set the {AurousContext.ApiKeyVariable} environment variable.", AurousErrors.MissingApiKey);
                ThrowTerminatingError(AurousErrorRecords.From(missing, null));
            }

            AurousClientOptions options = ClientOptionsFor(context!);
            try
            {
                options.Validate();
                return new AurousClient(options);
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, context!.BaseUri));
                throw;
            }
        }

        /// <summary>Client options for <paramref name="context"/> whose log lines become this cmdlet's output.</summary>
        protected AurousClientOptions ClientOptionsFor(AurousContext context) => context.ToClientOptions(DescribeHost(), OnLog);

        // Called on the client's threads: only queue here, the pipeline thread writes.
        private void OnLog(AurousLogEvent logEvent)
        {
            if (logEvent.Wait != null)
            {
                _waitProgress.Show(logEvent.Wait);
            }

            string message = logEvent.Message;
            switch (logEvent.Level)
            {
                case AurousLogLevel.Debug:
                    _dispatcher.Post(() => WriteDebug(message));
                    break;
                case AurousLogLevel.Warning:
                    _dispatcher.Post(() => WriteWarning(message));
                    break;
                default:
                    _dispatcher.Post(() => WriteVerbose(message));
                    break;
            }
        }

        /// <summary>"PowerShell Core 7.4.6" or "PowerShell Desktop 5.1.19041.1", for the User-Agent.</summary>
        private string DescribeHost()
        {
            var table = SessionState.PSVariable.GetValue("PSVersionTable") as IDictionary;
            object? edition = table?["PSEdition"];
            object? version = table?["PSVersion"];
            return $"PowerShell {edition ?? "Desktop"} {version ?? Host.Version}";
        }
    }
}
