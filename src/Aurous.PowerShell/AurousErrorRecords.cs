using System;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Turns client exceptions into ErrorRecords. The ErrorId and category come from the client's one error
    /// table, and the message from the client's wording, so this is only the translation to PowerShell's types.
    /// </summary>
    internal static class AurousErrorRecords
    {
        /// <summary>
        /// A paid call that may have been charged gets the sentence telling how to finish it: <paramref name="finish"/>
        /// given its key, or "Run the same command with -IdempotencyKey 'K'", right for a command making one paid call.
        /// </summary>
        /// <param name="exception">the client's error.</param>
        /// <param name="target">what the user passed in: an id, a character, a name, or a setting.</param>
        /// <param name="finish">the sentence that finishes a paid call, given its key.</param>
        public static ErrorRecord From(AurousException exception, object? target, Func<string, string>? finish = null)
        {
            // "Character char_… (Aurora)" at no cost: the name comes with a piped character, or from the characters
            // this process has already shown (a character piped by its id).
            if (exception.CharacterId != null && exception.CharacterName == null)
            {
                exception.CharacterName = target is Character character && character.Id == exception.CharacterId && !string.IsNullOrEmpty(character.Name)
                    ? character.Name
                    : RecentCharacterIds.NameOf(exception.CharacterId);
            }

            var record = new ErrorRecord(exception, exception.ErrorId, ToErrorCategory(exception.Category), Safe(target));

            // The message is the one place every host shows: support needs the request id, the user the way to finish a paid call.
            string message = exception.Message;
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

            string state = (result.Character?.Status ?? "synthesizing").ToLowerInvariant();
            AurousException exception = result.Outcome switch
            {
                CharacterWaitOutcome.Failed => Describe(result, AurousErrors.CharacterFailed, Failure(result.Character?.ErrorMessage), $"Run Invoke-AurousResynthesis to try again ({AurousMessages.Credits(AurousOperations.CreditCosts.Resynthesize)})"),
                CharacterWaitOutcome.TimedOut => Describe(result, AurousErrors.WaitTimedOut, $"Still {state} after {timeout?.TotalSeconds ?? 0:0.#} s", "Wait again, or raise -TimeoutSec"),
                _ => Describe(result, AurousErrors.CharacterNotFound, "It no longer exists: it was deleted while the wait was on"),
            };
            return From(exception, target);
        }

        // The server's error_message often says "Synthesis failed" itself; it is not said twice.
        private static string Failure(string? serverMessage) =>
            string.IsNullOrWhiteSpace(serverMessage) ? "Synthesis failed; the server gave no reason"
            : serverMessage!.StartsWith("Synthesis failed", StringComparison.OrdinalIgnoreCase) ? serverMessage
            : $"Synthesis failed: {serverMessage}";

        private static string RunAgain(string idempotencyKey) => $"Run the same command with -IdempotencyKey '{idempotencyKey}' to finish it.";

        private static AurousException Describe(CharacterWaitResult result, string errorId, params string[] sentences) =>
            new AurousException(AurousMessages.Sentences(sentences), errorId, characterId: result.Id)
            {
                CharacterName = string.IsNullOrEmpty(result.Character?.Name) ? null : result.Character!.Name,
            };

        /// <summary>
        /// The target without credentials: TargetObject, and CategoryInfo's TargetName made from it, are shown and
        /// serialised with the record, and a refused URL setting may carry a user name and password.
        /// </summary>
        private static object? Safe(object? target) => target switch
        {
            Uri uri when uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo) => new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri,
            string text => AurousRedactor.Redact(text),
            _ => target,
        };

        // AurousErrorCategory's member names are a subset of ErrorCategory's by contract, so a name lookup is exact.
        private static ErrorCategory ToErrorCategory(AurousErrorCategory category) =>
            Enum.TryParse(category.ToString(), out ErrorCategory result) ? result : ErrorCategory.NotSpecified;
    }
}
