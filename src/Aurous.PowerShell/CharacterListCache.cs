using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The team's characters (id, name), listed for tab completion and kept briefly, so a new session completes ids
    /// and names and pressing Tab again costs no call. Completion must stay quick and must never fail: the listing
    /// has a short budget and no retries, and a failure completes from what this session has seen instead.
    /// </summary>
    internal static class CharacterListCache
    {
        internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
        private const int MaxCharacters = 500;
        private static readonly object Gate = new object();
        private static Entry? s_entry;

        /// <summary>The clock the lifetime is measured on; tests substitute their own.</summary>
        internal static TimeProvider Clock { get; set; } = TimeProvider.System;

        /// <summary>(id, name) pairs, newest first; empty when there is no context or the listing failed.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Get()
        {
            AurousContext? context;
            try
            {
                context = AurousContextStore.Resolve();
            }
            catch (AurousException)
            {
                return Array.Empty<KeyValuePair<string, string>>();
            }

            if (context == null)
            {
                return Array.Empty<KeyValuePair<string, string>>();
            }

            DateTimeOffset now = Clock.GetUtcNow();
            lock (Gate)
            {
                // A new Connect-Aurous is a new context: another team or endpoint, so the old list does not apply.
                if (s_entry != null && ReferenceEquals(s_entry.Context, context) && now - s_entry.ListedAt < Lifetime)
                {
                    return s_entry.Characters;
                }
            }

            IReadOnlyList<KeyValuePair<string, string>> characters = List(context);
            lock (Gate)
            {
                s_entry = new Entry(context, now, characters);
            }

            return characters;
        }

        /// <summary>Drops a deleted character, so completion stops offering it.</summary>
        public static void Forget(string id)
        {
            lock (Gate)
            {
                if (s_entry != null)
                {
                    var kept = new List<KeyValuePair<string, string>>();
                    foreach (KeyValuePair<string, string> entry in s_entry.Characters)
                    {
                        if (!string.Equals(entry.Key, id, StringComparison.Ordinal))
                        {
                            kept.Add(entry);
                        }
                    }

                    s_entry = new Entry(s_entry.Context, s_entry.ListedAt, kept);
                }
            }
        }

        private static IReadOnlyList<KeyValuePair<string, string>> List(AurousContext context)
        {
            var characters = new List<KeyValuePair<string, string>>();
            try
            {
                AurousClientOptions options = context.ToClientOptions("PowerShell tab completion", _ => { });
                options.Retry = AurousRetryPolicy.None;
                options.RequestTimeout = Budget;
                using var client = new AurousClient(options);
                using var budget = new CancellationTokenSource(Budget);

                // Task.Run: the completer runs on the pipeline thread, where blocking on async work must not capture it.
                Task.Run(async () =>
                {
                    await foreach (Character character in client.ListCharactersAsync(null, budget.Token).ConfigureAwait(false))
                    {
                        characters.Add(new KeyValuePair<string, string>(character.Id, character.Name ?? string.Empty));
                        if (characters.Count >= MaxCharacters)
                        {
                            break;
                        }
                    }
                }).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is AurousException || e is OperationCanceledException)
            {
                // Whatever arrived before the failure is still worth completing from.
            }

            return characters;
        }

        private sealed class Entry
        {
            public Entry(AurousContext context, DateTimeOffset listedAt, IReadOnlyList<KeyValuePair<string, string>> characters)
            {
                Context = context;
                ListedAt = listedAt;
                Characters = characters;
            }

            public AurousContext Context { get; }

            public DateTimeOffset ListedAt { get; }

            public IReadOnlyList<KeyValuePair<string, string>> Characters { get; }
        }
    }
}
