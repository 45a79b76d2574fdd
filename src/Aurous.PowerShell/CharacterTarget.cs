using System.Collections.Generic;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// One character a cmdlet acts on, from -Id or from a piped character. A piped character brings its name for
    /// the -WhatIf/-Confirm text at no cost; an id alone is shown as is, never looked up just for the name.
    /// </summary>
    internal readonly struct CharacterTarget
    {
        private CharacterTarget(string id, string? name, object errorTarget)
        {
            Id = id;
            Name = name;
            ErrorTarget = errorTarget;
        }

        public string Id { get; }

        public string? Name { get; }

        /// <summary>What the user passed in, for ErrorRecord.TargetObject.</summary>
        public object ErrorTarget { get; }

        /// <summary>"char_… (Aurora)", the ShouldProcess target.</summary>
        public string Description => AurousOperations.Target(Id, Name);

        /// <summary>A character already read, named as the user gave it (<paramref name="errorTarget"/>: an id or the character).</summary>
        public static CharacterTarget Of(Character character, object errorTarget) => new CharacterTarget(character.Id, character.Name, errorTarget);

        public static IEnumerable<CharacterTarget> From(string[]? ids, Character[]? characters)
        {
            foreach (string id in ids ?? new string[0])
            {
                yield return new CharacterTarget(id, null, id);
            }

            foreach (Character character in characters ?? new Character[0])
            {
                yield return new CharacterTarget(character.Id, character.Name, character);
            }
        }
    }
}
