using System;
using System.Globalization;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>The client rules a parameter can be checked against at binding.</summary>
    internal enum AurousRule
    {
        ApiVersion,
        Proxy,
        WaitSeconds,
        PollIntervalSeconds,
    }

    /// <summary>
    /// Checks a parameter at binding with the client's own rule, so the command is refused before anything is sent and
    /// in the same words the client uses (not PowerShell's stock "The character length of the 81 argument is too long").
    /// Scripts get PowerShell's ErrorId (ParameterArgumentValidationError), so it is kept for settings typed on the
    /// command line; a value a pipeline row can bring (a name, an attribute, a key, a pose) is checked while its record
    /// is processed instead, and gets the documented ErrorId and an error about that row alone.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateAurousAttribute : ValidateArgumentsAttribute
    {
        /// <param name="rule">the client rule.</param>
        /// <param name="parameterName">the name the message gives the value, for rules about a time.</param>
        public ValidateAurousAttribute(AurousRule rule, string parameterName = "")
        {
            Rule = rule;
            ParameterName = parameterName;
        }

        public AurousRule Rule { get; }

        public string ParameterName { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            try
            {
                switch (Rule)
                {
                    case AurousRule.ApiVersion:
                        AurousValidation.ApiVersion(value as string);
                        break;
                    case AurousRule.Proxy:
                        AurousValidation.Proxy(value as Uri);
                        break;
                    case AurousRule.WaitSeconds:
                        AurousValidation.WaitTime(Convert.ToDouble(value, CultureInfo.InvariantCulture), ParameterName);
                        break;
                    case AurousRule.PollIntervalSeconds:
                        AurousValidation.PollInterval(Convert.ToDouble(value, CultureInfo.InvariantCulture), ParameterName);
                        break;
                }
            }
            catch (AurousValidationException exception)
            {
                throw new ValidationMetadataException(exception.Message, exception);
            }
        }
    }
}
