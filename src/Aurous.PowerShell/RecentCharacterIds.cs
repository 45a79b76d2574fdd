using System;
using System.Collections.Generic;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The character ids this process has emitted, newest first, for -Id tab completion. Bounded so a bulk
    /// pipeline can't grow it without limit; ids are not secrets, so sharing them across runspaces is harmless.
    /// </summary>
    internal static class RecentCharacterIds
    {
        internal const int Capacity = 200;

        private static readonly LinkedList<KeyValuePair<string, string>> Entries = new LinkedList<KeyValuePair<string, string>>();
        private static readonly Dictionary<string, LinkedListNode<KeyValuePair<string, string>>> ById = new Dictionary<string, LinkedListNode<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        private static readonly object Gate = new object();

        public static void Remember(Character character)
        {
            if (string.IsNullOrEmpty(character.Id))
            {
                return;
            }

            lock (Gate)
            {
                if (ById.TryGetValue(character.Id, out LinkedListNode<KeyValuePair<string, string>>? existing))
                {
                    Entries.Remove(existing);
                }

                ById[character.Id] = Entries.AddFirst(new KeyValuePair<string, string>(character.Id, character.Name ?? string.Empty));
                if (Entries.Count > Capacity)
                {
                    ById.Remove(Entries.Last!.Value.Key);
                    Entries.RemoveLast();
                }
            }
        }

        /// <summary>A deleted character: completion stops offering it, from this list and from the listed one.</summary>
        public static void Forget(string id)
        {
            CharacterListCache.Forget(id);
            lock (Gate)
            {
                if (ById.TryGetValue(id, out LinkedListNode<KeyValuePair<string, string>>? node))
                {
                    Entries.Remove(node);
                    ById.Remove(id);
                }
            }
        }

        /// <summary>The name this process last saw for <paramref name="id"/>, so an error about a bare id can name it too.</summary>
        public static string? NameOf(string id)
        {
            lock (Gate)
            {
                return ById.TryGetValue(id, out LinkedListNode<KeyValuePair<string, string>>? node) && node.Value.Value.Length > 0 ? node.Value.Value : null;
            }
        }

        /// <summary>Every (id, name) pair, newest first: a copy, so the completer can filter it outside the lock.</summary>
        public static List<KeyValuePair<string, string>> All()
        {
            lock (Gate)
            {
                return new List<KeyValuePair<string, string>>(Entries);
            }
        }
    }
}
