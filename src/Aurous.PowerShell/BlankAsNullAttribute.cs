using System;
using System.Management.Automation;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Binds a blank string (an empty CSV cell, or one of only spaces) as null, so the field counts as not given.
    /// Without it Import-Csv's "" fails [ValidateNotNullOrEmpty] for the whole row, and "" converts to 0 for an int.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class BlankAsNullAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }
}
