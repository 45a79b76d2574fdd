using System;
using System.Management.Automation;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Binds a value for one attribute field as a person means it, from the command line or a CSV cell: a blank
    /// string (an empty cell, or one of spaces) is null, i.e. not given.
    /// </summary>
    /// <remarks>
    /// Without it "" would fail [ValidateNotNullOrEmpty] for the whole row, or count as a value. The value itself is
    /// judged later, while the record is processed, so a bad one is an error about its row with the documented ErrorId.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class FieldValueAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }
}
