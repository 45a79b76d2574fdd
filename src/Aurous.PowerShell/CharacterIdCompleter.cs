using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Completes -Id by id or name from the characters seen in this session and the team's newest ones, listed at most
    /// every <see cref="ListEvery"/> so a fresh session completes too without Tab costing a request each time.
    /// </summary>
    internal sealed class CharacterIdCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan ListEvery = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);
        private static readonly object Gate = new object();
        private static DateTime _listedAt = DateTime.MinValue;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            RememberNewest();
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (KeyValuePair<string, string> entry in RecentCharacterIds.Matching(prefix))
            {
                string tooltip = entry.Value.Length == 0 ? entry.Key : $"{entry.Key} ({entry.Value})";
                yield return new CompletionResult(entry.Key, entry.Key, CompletionResultType.ParameterValue, tooltip);
            }
        }

        // Completion must never fail or hang the console: without a usable connection, or on any error, it offers
        // what the session has seen.
        private static void RememberNewest()
        {
            lock (Gate)
            {
                if (DateTime.UtcNow - _listedAt < ListEvery)
                {
                    return;
                }

                _listedAt = DateTime.UtcNow;
            }

            try
            {
                AurousContext? context = AurousContextStore.Resolve();
                if (context == null)
                {
                    return;
                }

                AurousClientOptions options = context.ToClientOptions("PowerShell completion", _ => { });
                options.Validate();
                using var client = new AurousClient(options);
                using var timeout = new CancellationTokenSource(ListTimeout);
                CharacterList page = client.ListCharactersPageAsync(CharacterList.MaxLimit, null, timeout.Token).GetAwaiter().GetResult();
                for (int i = page.Data!.Count - 1; i >= 0; i--)
                {
                    RecentCharacterIds.Remember(page.Data[i]);
                }
            }
            catch (Exception)
            {
                // Completion offers what the session has seen; the next Tab after ListEvery tries the list again.
            }
        }
    }
}
