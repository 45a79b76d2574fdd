using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Lets -Attributes take a hashtable (PascalCase or snake_case keys), an object with such properties (a CSV row,
    /// <c>$_ | Select-Object hair_color, age</c>), or an existing CharacterAttributes. Values are checked by the client's
    /// rules; an unknown key or a bad value fails parameter binding, so the command is refused before any request.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class CharacterAttributesTransformationAttribute : ArgumentTransformationAttribute
    {
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
                        throw new ArgumentTransformationMetadataException($"-Attributes takes a hashtable such as @{{ hair_color = 'black'; age = 28 }}, or an object with such properties; got a {value.GetType().Name}.");
                }
            }
            catch (AurousValidationException exception)
            {
                throw new ArgumentTransformationMetadataException(exception.Message, exception);
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
