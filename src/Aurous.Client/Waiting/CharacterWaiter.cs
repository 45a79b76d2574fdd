using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Waiting;

/// <summary>
/// Polls many characters at once and yields each as soon as it settles. Every id is polled right away (so
/// characters that are already done pass straight through), then round-robin, each at most every minimum interval,
/// consecutive polls spaced by the <see cref="PollSchedule"/>: characters past the documented minimum synthesis
/// time first. A poll never runs twice at once for one id. Once a character in this wait settles sooner than the
/// documented minimum (the emulator's 3 s), the minimum is no reason to hold back any more.
/// </summary>
/// <remarks>
/// A wait always ends or speaks. The first poll that fails (network error, 5xx, or rate limiting) raises a Warning
/// that names the server; the next successful poll ends that run of failures (a Verbose line says so). Each kind of
/// failure is warned about once per wait: a server that fails one poll in three would otherwise repeat the same
/// warning all through the wait. When no poll has been answered for the
/// unreachable timeout, whether polls fail or hang, every character still pending leaves the wait with its own
/// error. The deadline runs on the waiter's own clock, so a poll stuck in the network cannot hold it up.
/// </remarks>
internal sealed class CharacterWaiter
{
    private readonly Func<string, CancellationToken, Task<Character>> _get;
    private readonly PollSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly string _server;
    private readonly Action<AurousLogLevel, string> _log;

    public CharacterWaiter(Func<string, CancellationToken, Task<Character>> get, PollSchedule schedule, TimeProvider time, Uri server, Action<AurousLogLevel, string> log)
    {
        _get = get;
        _schedule = schedule;
        _time = time;
        _server = AurousMessages.Server(server);
        _log = log;
    }

    public async IAsyncEnumerable<CharacterWaitResult> WaitAsync(IReadOnlyList<string> ids, TimeSpan? timeout, TimeSpan unreachableTimeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = _time.GetTimestamp();
        var pending = ids.ToDictionary(id => id, _ => new Tracked(), StringComparer.Ordinal);
        var inFlight = new Dictionary<Task<Poll>, string>();
        var nextDispatch = TimeSpan.Zero;
        var lastAnswer = TimeSpan.Zero;
        AurousException? lastFailure = null;
        var failing = false;
        var warnedAbout = new HashSet<string>(StringComparer.Ordinal);
        var quickSyntheses = false;
        int settled = 0, failed = 0;

        try
        {
            while (pending.Count > 0)
            {
                var now = _time.GetElapsedTime(started);
                var gaveUp = timeout is { } limit && now >= limit ? CharacterWaitOutcome.TimedOut
                    : now - lastAnswer >= unreachableTimeout ? CharacterWaitOutcome.Unreachable
                    : (CharacterWaitOutcome?)null;
                if (gaveUp is { } ending)
                {
                    foreach (var id in ids.Where(pending.ContainsKey))
                    {
                        var last = pending[id].LastSeen;
                        pending.Remove(id);
                        failed++;
                        var error = ending == CharacterWaitOutcome.Unreachable ? Unreachable(id, last, lastFailure, unreachableTimeout) : null;
                        yield return new CharacterWaitResult(id, ending, last, error, pending.Count, settled, failed);
                    }

                    yield break;
                }

                var clock = _time.GetUtcNow();
                foreach (var entry in pending.Where(p => !p.Value.Polling && p.Value.DueAt <= now).OrderBy(p => !quickSyntheses && p.Value.IsYoung(clock)).ThenBy(p => p.Value.DueAt).ToList())
                {
                    var tracked = entry.Value;
                    if (tracked.Polled && now < nextDispatch)
                    {
                        break;
                    }

                    tracked.Polling = true;
                    inFlight.Add(PollAsync(entry.Key, stop.Token), entry.Key);
                    _schedule.Spend(now);
                    if (tracked.Polled)
                    {
                        nextDispatch = (nextDispatch > now ? nextDispatch : now) + _schedule.Spacing(now, young: !quickSyntheses && tracked.IsYoung(clock));
                    }

                    tracked.Polled = true;
                }

                var wake = Earliest(WakeAt(pending.Values, nextDispatch, timeout), lastAnswer + unreachableTimeout);
                await WaitForSomethingAsync(inFlight.Keys, wake - now, stop.Token).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();

                foreach (var done in inFlight.Keys.Where(t => t.IsCompleted).ToList())
                {
                    inFlight.Remove(done);
                    var poll = done.Result;
                    var tracked = pending[poll.Id];
                    tracked.Polling = false;
                    var outcome = Classify(poll);
                    var answeredAt = _time.GetElapsedTime(started);
                    var error = poll.Error as AurousException;
                    if (error is null || outcome is not null || error is AurousApiException { StatusCode: 429 })
                    {
                        lastAnswer = answeredAt;
                    }

                    if (error is null && failing)
                    {
                        failing = false;
                        _log(AurousLogLevel.Verbose, $"{_server} answers polls again.");
                    }

                    if (outcome is null)
                    {
                        tracked.LastSeen = poll.Character ?? tracked.LastSeen;
                        var interval = _schedule.MinimumInterval;
                        if (error is not null)
                        {
                            lastFailure = error;
                            _log(AurousLogLevel.Verbose, $"Still waiting for {poll.Id}: {error.Message}");
                            failing = true;
                            if (warnedAbout.Add(Kind(error)))
                            {
                                _log(AurousLogLevel.Warning, Trouble(error, pending.Count, unreachableTimeout));
                            }

                            if (error is AurousApiException { RetryAfter: { } retryAfter } && retryAfter > interval)
                            {
                                interval = retryAfter;
                            }
                        }

                        tracked.DueAt = answeredAt + interval;
                        continue;
                    }

                    quickSyntheses |= tracked.SettledQuickly(poll.Character);

                    pending.Remove(poll.Id);
                    if (outcome == CharacterWaitOutcome.Settled)
                    {
                        settled++;
                    }
                    else
                    {
                        failed++;
                    }

                    yield return new CharacterWaitResult(poll.Id, outcome.Value, poll.Character, poll.Error as AurousApiException, pending.Count, settled, failed);
                }
            }
        }
        finally
        {
            // Stops polls still in flight when the caller stops early or the wait gives up.
            stop.Cancel();
        }
    }

    /// <summary>Null while the character is still working, or while a transient error hides its state.</summary>
    private static CharacterWaitOutcome? Classify(Poll poll)
    {
        switch (poll.Error)
        {
            case null:
                return poll.Character!.State switch
                {
                    CharacterStatus.Reviewing or CharacterStatus.Ready => CharacterWaitOutcome.Settled,
                    CharacterStatus.Failed => CharacterWaitOutcome.Failed,
                    CharacterStatus.Deleted => CharacterWaitOutcome.NotFound,
                    _ => null,
                };
            case AurousApiException { StatusCode: 404 }:
                return CharacterWaitOutcome.NotFound;
            case AurousApiException { Category: AurousErrorCategory.AuthenticationError or AurousErrorCategory.PermissionDenied }:
            case OperationCanceledException:
                ExceptionDispatchInfo.Capture(poll.Error).Throw();
                return null;
            case AurousException:
                return null;
            default:
                ExceptionDispatchInfo.Capture(poll.Error).Throw();
                return null;
        }
    }

    /// <summary>What a failure is, for warning once about each: its ErrorId and HTTP status (0 without an answer).</summary>
    private static string Kind(AurousException error) =>
        $"{error.ErrorId}/{(error as AurousApiException)?.StatusCode ?? 0}";

    /// <summary>The warning for the first failed poll of a kind: what failed, where, and what the wait will do about it.</summary>
    private string Trouble(AurousException error, int pending, TimeSpan unreachableTimeout)
    {
        var characters = pending == 1 ? "1 character" : $"{pending} characters";
        var reason = error is AurousApiException { Reason: { } r } ? r : error.Detail;
        if (error is AurousApiException { StatusCode: 429 })
        {
            return AurousMessages.Sentences($"{_server} is rate-limiting the polls for {characters} ({AurousMessages.Clause(reason)})", "Polling more slowly; the team's other clients share the same limit");
        }

        var what = error is AurousApiException { StatusCode: 0 }
            ? $"Cannot reach {_server} to check on {characters}: {AurousMessages.Clause(reason)}"
            : $"{_server} answers the polls for {characters} with an error: {AurousMessages.Clause(reason)}";
        return AurousMessages.Sentences(what, $"Still trying; after {Seconds(unreachableTimeout)} without an answer, each character still pending gets an error and the wait ends");
    }

    private AurousApiException Unreachable(string id, Character? last, AurousException? lastFailure, TimeSpan unreachableTimeout)
    {
        var cause = lastFailure is AurousApiException { Reason: { } reason } ? AurousMessages.Clause(reason) : lastFailure?.ErrorId ?? "no poll was answered";
        var state = last?.Status.ToLowerInvariant() ?? "synthesizing";
        var errorId = lastFailure?.ErrorId ?? AurousErrors.RequestTimedOut;
        var error = new AurousApiException(
            AurousMessages.Sentences(
                $"Stopped waiting: no answer from {_server} for {Seconds(unreachableTimeout)} (last poll: {cause})",
                $"The character may still be {state}; when the server answers again, wait for it again"),
            errorId,
            AurousErrors.CategoryOf(errorId),
            (lastFailure as AurousApiException)?.StatusCode ?? 0,
            reason: cause)
        {
            CharacterId = id,
            CharacterName = string.IsNullOrEmpty(last?.Name) ? null : last!.Name,
        };
        return error;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static TimeSpan Earliest(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan WakeAt(IEnumerable<Tracked> pending, TimeSpan nextDispatch, TimeSpan? timeout)
    {
        var wake = TimeSpan.MaxValue;
        foreach (var tracked in pending.Where(t => !t.Polling))
        {
            var due = tracked.Polled && tracked.DueAt < nextDispatch ? nextDispatch : tracked.DueAt;
            wake = due < wake ? due : wake;
        }

        return timeout is { } limit && limit < wake ? limit : wake;
    }

    /// <remarks>
    /// Delays count whole milliseconds, truncating: a wake-up 6.25 ms away would come 0.25 ms early and then ask for a
    /// delay of 0, a busy loop until the clock catches up. So the delay is rounded up. A long wake-up is cut into
    /// slices: timers take at most about 49 days (and Windows PowerShell's Task.Delay about 24), while a deadline can
    /// lie further out; the loop simply checks again after each slice.
    /// </remarks>
    private async Task WaitForSomethingAsync(IEnumerable<Task> polls, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slice = delay <= TimeSpan.Zero ? TimeSpan.Zero
            : delay > MaxSlice ? MaxSlice
            : TimeSpan.FromMilliseconds(Math.Ceiling(delay.TotalMilliseconds));
        var tasks = new List<Task>(polls) { _time.Delay(slice, wake.Token) };
        await Task.WhenAny(tasks).ConfigureAwait(false);
        wake.Cancel();
    }

    private static readonly TimeSpan MaxSlice = TimeSpan.FromHours(1);

    /// <summary>Never faults: the outcome, error included, is data for <see cref="Classify"/>.</summary>
    private async Task<Poll> PollAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return new Poll(id, await _get(id, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e)
        {
            return new Poll(id, null, e);
        }
    }

    private sealed class Tracked
    {
        public TimeSpan DueAt { get; set; }
        public bool Polling { get; set; }
        public bool Polled { get; set; }
        public Character? LastSeen { get; set; }

        /// <summary>
        /// Seen synthesizing for less than the documented minimum: measured from its updated_at (the synthesis
        /// start) on this machine's clock, so a clock that is off only shifts when the poll rate rises.
        /// </summary>
        public bool IsYoung(DateTimeOffset now) =>
            LastSeen is { State: CharacterStatus.Synthesizing } seen && now - seen.UpdatedAt < PollSchedule.TypicalMinimumSynthesis;

        /// <summary>Settled sooner after its synthesis started than the documented minimum (both times the server's).</summary>
        public bool SettledQuickly(Character? settled) =>
            LastSeen is { State: CharacterStatus.Synthesizing } seen && settled is not null
            && settled.UpdatedAt - seen.UpdatedAt < PollSchedule.TypicalMinimumSynthesis;
    }

    private sealed class Poll
    {
        public Poll(string id, Character? character, Exception? error)
        {
            Id = id;
            Character = character;
            Error = error;
        }

        public string Id { get; }
        public Character? Character { get; }
        public Exception? Error { get; }
    }
}
