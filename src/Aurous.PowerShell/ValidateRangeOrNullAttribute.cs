using System;
using System.Globalization;
using System.Management.Automation;

namespace Aurous.PowerShell
{
    /// <summary>
    /// [ValidateRange] for a parameter that may be bound to null (by <see cref="FieldValueAttribute"/>): null means
    /// "not given" and passes, where [ValidateRange] would refuse it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateRangeOrNullAttribute : ValidateArgumentsAttribute
    {
        public ValidateRangeOrNullAttribute(int minimum, int maximum)
        {
            Minimum = minimum;
            Maximum = maximum;
        }

        public int Minimum { get; }

        public int Maximum { get; }

        protected override void Validate(object? arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is int number && (number < Minimum || number > Maximum))
            {
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture, "It must be a whole number from {1} to {2}; got {0}.", number, Minimum, Maximum));
            }
        }
    }
}
