using System;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Binds a value for one attribute field as a person means it, from the command line or a CSV cell: a blank
    /// string (an empty cell, or one of spaces) is null, i.e. not given; with <see cref="WholeNumber"/>, text such as
    /// "28" is the number 28 and any other text is refused by the client's age rule, naming the value.
    /// </summary>
    /// <remarks>
    /// Both would go wrong without it: "" fails [ValidateNotNullOrEmpty] for the whole row, or converts to 0 for an int;
    /// and a cell that does not convert ("twenty") is silently left unbound when a compiled cmdlet binds a piped
    /// object by property name, so the character would be made without it. An error from a transformation is reported.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class FieldValueAttribute : ArgumentTransformationAttribute
    {
        public bool WholeNumber { get; set; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string text))
            {
                return inputData;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (!WholeNumber)
            {
                return inputData;
            }

            try
            {
                // The client's age rule, so a CSV cell is judged in the same words as -Age and -Attributes.
                return AurousValidation.Age(text);
            }
            catch (AurousValidationException exception)
            {
                throw new ArgumentTransformationMetadataException(exception.Message, exception);
            }
        }
    }
}
