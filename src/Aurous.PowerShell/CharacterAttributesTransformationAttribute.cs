using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Lets -Attributes take a hashtable (PascalCase or snake_case keys), an object with such properties (a CSV row,
    /// <c>$_ | Select-Object hair_color, age</c>), or an existing CharacterAttributes. Values are checked by the client's
    /// rules, but not refused here: a refusal at binding would reach scripts as PowerShell's
    /// ParameterArgumentTransformationError, and a piped row would go unnamed. A bad value binds as an empty placeholder
    /// that carries the client's error, and the cmdlet reports it (<see cref="ThrowIfRefused"/>) with the documented
    /// ErrorId, as an error about that row, before anything is sent.
    /// </summary>
    /// <remarks>The parameter keeps its type, so PowerShell still completes the hashtable's keys from CharacterAttributes.</remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class CharacterAttributesTransformationAttribute : ArgumentTransformationAttribute
    {
        private static readonly ConditionalWeakTable<CharacterAttributes, AurousValidationException> Refused =
            new ConditionalWeakTable<CharacterAttributes, AurousValidationException>();

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = Unwrap(inputData);
            try
            {
                switch (value)
                {
                    case null:
                    case CharacterAttributes _:
                        return value;
                    case IDictionary dictionary:
                        return CharacterAttributes.FromDictionary(Unwrapped(dictionary));
                    case PSCustomObject _:
                        return CharacterAttributes.FromDictionary(Properties((PSObject)inputData!));
                    default:
                        throw new AurousValidationException($"-Attributes takes a hashtable such as @{{ hair_color = 'black'; age = 28 }}, or an object with such properties; got a {value.GetType().Name}.", AurousErrors.InvalidAttributeValue, "Attributes");
                }
            }
            catch (AurousValidationException exception)
            {
                var placeholder = new CharacterAttributes();
                Refused.Add(placeholder, exception);
                return placeholder;
            }
        }

        /// <summary>Call while processing the record: the error a bad -Attributes value bound with, if it did.</summary>
        /// <exception cref="AurousValidationException">the client's error about the value (UnknownAttribute, InvalidAttributeValue).</exception>
        public static void ThrowIfRefused(CharacterAttributes? attributes)
        {
            if (attributes != null && Refused.TryGetValue(attributes, out AurousValidationException? refusal))
            {
                throw refusal;
            }
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        // Values typed at the prompt or taken from variables arrive wrapped in PSObject; the client judges the value itself.
        private static IDictionary Unwrapped(IDictionary dictionary)
        {
            var result = new OrderedDictionary();
            foreach (DictionaryEntry entry in dictionary)
            {
                result[Unwrap(entry.Key) ?? string.Empty] = Unwrap(entry.Value);
            }

            return result;
        }

        private static IDictionary Properties(PSObject value)
        {
            var result = new OrderedDictionary();
            foreach (PSPropertyInfo property in value.Properties)
            {
                result[property.Name] = Unwrap(property.Value);
            }

            return result;
        }
    }
}
