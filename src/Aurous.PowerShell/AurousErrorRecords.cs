using System;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Turns client exceptions into ErrorRecords. The ErrorId and category come from the client's one error
    /// table, so this is only the translation to PowerShell's types.
    /// </summary>
    internal static class AurousErrorRecords
    {
        public static ErrorRecord From(AurousException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, ToErrorCategory(exception.Category), target);
            if (exception is AurousApiException api && !string.IsNullOrEmpty(api.RequestId) && exception.Message.IndexOf(api.RequestId, StringComparison.Ordinal) < 0)
            {
                // Support needs the request id; the message is the one place every host shows.
                record.ErrorDetails = new ErrorDetails($"{exception.Message} (request id {api.RequestId})");
            }

            return record;
        }

        // AurousErrorCategory's member names are a subset of ErrorCategory's by contract, so a name lookup is exact.
        private static ErrorCategory ToErrorCategory(AurousErrorCategory category) =>
            Enum.TryParse(category.ToString(), out ErrorCategory result) ? result : ErrorCategory.NotSpecified;
    }
}
