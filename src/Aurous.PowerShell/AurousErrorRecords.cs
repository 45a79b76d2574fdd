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
        /// <summary>
        /// A paid call that may have been charged gets the sentence telling how to finish it: <paramref name="finish"/>
        /// given its key, or "Run the same command with -IdempotencyKey 'K'", right for a command making one paid call.
        /// </summary>
        public static ErrorRecord From(AurousException exception, object? target, Func<string, string>? finish = null)
        {
            // A refused address may carry a password (AUROUS_BASE_URL=http://user:pw@…); the record and its CategoryInfo never do.
            if (target is Uri uri && uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo))
            {
                target = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
            }

            var record = new ErrorRecord(exception, exception.ErrorId, ToErrorCategory(exception.Category), target);

            // The message is the one place every host shows: it names the character it is about, support needs the
            // request id, and the user the way to finish a paid call.
            string message = exception.Message;
            string? id = target is Character character ? character.Id : target as string;
            if (id != null && id.StartsWith("char_", StringComparison.Ordinal) && message.IndexOf(id, StringComparison.Ordinal) < 0)
            {
                message = $"Character {target}: {message}";
            }

            if (exception is AurousApiException api)
            {
                if (!string.IsNullOrEmpty(api.RequestId) && message.IndexOf(api.RequestId, StringComparison.Ordinal) < 0)
                {
                    message += $" (request id {api.RequestId})";
                }

                if (api.IdempotencyKey != null && (api.OutcomeUnknown || api.StatusCode == 429))
                {
                    message += " " + (finish ?? RunAgain)(api.IdempotencyKey);
                }
            }

            if (message != exception.Message)
            {
                record.ErrorDetails = new ErrorDetails(message);
            }

            return record;
        }

        /// <summary>
        /// A character that left the wait without settling. The waiter reports a failed synthesis or a timeout as
        /// an outcome, not an exception, so the record is built here from the client's ErrorIds.
        /// </summary>
        public static ErrorRecord FromWait(CharacterWaitResult result, object target, TimeSpan? timeout)
        {
            if (result.Error != null)
            {
                return From(result.Error, target);
            }

            string who = result.Character?.ToString() ?? result.Id;
            AurousException exception = result.Outcome switch
            {
                CharacterWaitOutcome.Failed => Describe(AurousErrors.CharacterFailed, $"Character {who} failed: {result.Character?.ErrorMessage ?? "the server gave no reason"}. Run Invoke-AurousResynthesis to try again."),
                CharacterWaitOutcome.TimedOut => Describe(AurousErrors.WaitTimedOut, $"Character {who} was still {(result.Character?.Status.ToString() ?? "pending").ToLowerInvariant()} after {timeout?.TotalSeconds ?? 0:0.#} s. Wait again, or raise -TimeoutSec."),
                _ => Describe(AurousErrors.CharacterNotFound, $"Character {who} no longer exists."),
            };
            return From(exception, target);
        }

        private static string RunAgain(string idempotencyKey) => $"Run the same command with -IdempotencyKey '{idempotencyKey}' to finish it.";

        private static AurousException Describe(string errorId, string message) => new AurousException(message, errorId, AurousErrors.CategoryOf(errorId));

        // AurousErrorCategory's member names are a subset of ErrorCategory's by contract, so a name lookup is exact.
        private static ErrorCategory ToErrorCategory(AurousErrorCategory category) =>
            Enum.TryParse(category.ToString(), out ErrorCategory result) ? result : ErrorCategory.NotSpecified;
    }
}
