using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The pipeline input of a paid cmdlet that takes -IdempotencyKey. A key stands for one paid call, and the server
    /// answers a second call under it with a 409, so a key that would cover several calls is refused before they go:
    /// a key typed on the command line holds the input until the pipeline ends and refuses the whole command, before
    /// anything is sent, if more than one item came in; a key from each input row (a CSV column) streams, and a row
    /// that repeats an earlier row's key for another character is refused on its own, unsent.
    /// </summary>
    internal sealed class IdempotencyKeyInput<T>
    {
        private readonly List<T> _held = new List<T>();
        private readonly Dictionary<string, string> _used = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Func<T, string> _describe;
        private bool _keyForAll;

        /// <param name="describe">an item as the messages show it: "char_… (Aurora)", "'Aurora'".</param>
        public IdempotencyKeyInput(Func<T, string> describe)
        {
            _describe = describe;
        }

        /// <summary>Call from BeginProcessing: a key bound before any input came from the command line, and covers every item.</summary>
        public void Begin(PSCmdlet cmdlet)
        {
            _keyForAll = cmdlet.MyInvocation.BoundParameters.ContainsKey("IdempotencyKey");
        }

        /// <summary>The items to send now: all of them without a key; none while a command-line key holds them.</summary>
        /// <param name="cmdlet">the cmdlet, to write a refused row's error.</param>
        /// <param name="idempotencyKey">the key bound for this record.</param>
        /// <param name="items">what this record asks for.</param>
        /// <param name="errorTarget">an item's TargetObject when it is refused: the input row it came from.</param>
        public IEnumerable<T> Admit(Cmdlet cmdlet, string? idempotencyKey, IEnumerable<T> items, Func<T, object?> errorTarget)
        {
            foreach (T item in items)
            {
                if (idempotencyKey == null)
                {
                    yield return item;
                }
                else if (_keyForAll)
                {
                    _held.Add(item);
                }
                else if (_used.TryGetValue(idempotencyKey, out string? earlier) && earlier != _describe(item))
                {
                    cmdlet.WriteError(Refused(AurousValidation.IdempotencyKeyUsedBefore(idempotencyKey, earlier, _describe(item)), errorTarget(item)));
                }
                else
                {
                    _used[idempotencyKey] = _describe(item);
                    yield return item;
                }
            }
        }

        /// <summary>Call from EndProcessing: the held input once it is known to be one call, else a terminating error.</summary>
        public IReadOnlyList<T> Release(Cmdlet cmdlet)
        {
            var targets = _held.Select(_describe).ToList();
            if (AurousValidation.OneCallPerIdempotencyKey(targets) is { } refusal)
            {
                cmdlet.ThrowTerminatingError(Refused(refusal, targets.ToArray()));
            }

            return _held;
        }

        private static ErrorRecord Refused(AurousValidationException exception, object? target) => AurousErrorRecords.From(exception, target);
    }
}
