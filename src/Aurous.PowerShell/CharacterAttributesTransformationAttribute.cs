using System;
using System.Collections;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Lets -Attributes take a hashtable (PascalCase or snake_case keys) or an existing CharacterAttributes.
    /// An unknown key fails parameter binding, so the command is refused before any request.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class CharacterAttributesTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                case CharacterAttributes _:
                    return value;
                case IDictionary dictionary:
                    try
                    {
                        return CharacterAttributes.FromDictionary(dictionary);
                    }
                    catch (AurousValidationException exception)
                    {
                        throw new ArgumentTransformationMetadataException(exception.Message, exception);
                    }

                default:
                    throw new ArgumentTransformationMetadataException($"-Attributes takes a hashtable such as @{{ hair_color = 'black'; age = 28 }}, not a {value.GetType().Name}.");
            }
        }
    }
}
