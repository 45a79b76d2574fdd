using System;
using System.Collections.Generic;
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
/// time first. A poll never runs twice at once for one id; a transient error leaves the character pending until
/// the deadline. Once a character in this wait settles sooner than the documented minimum (the emulator's 3 s), the
/// minimum is no reason to hold back any more.
/// </summary>
internal sealed class CharacterWaiter
{
    private readonly Func<string, CancellationToken, Task<Character>> _get;
    private readonly PollSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    public CharacterWaiter(Func<string, CancellationToken, Task<Character>> get, PollSchedule schedule, TimeProvider time, Action<string> log)
    {
        _get = get;
        _schedule = schedule;
        _time = time;
        _log = log;
    }

    public async IAsyncEnumerable<CharacterWaitResult> WaitAsync(IReadOnlyList<string> ids, TimeSpan? timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = _time.GetTimestamp();
        var pending = ids.ToDictionary(id => id, _ => new Tracked(), StringComparer.Ordinal);
        var inFlight = new Dictionary<Task<Poll>, string>();
        var nextDispatch = TimeSpan.Zero;
        var quickSyntheses = false;
        int settled = 0, failed = 0;

        try
        {
            while (pending.Count > 0)
            {
                var now = _time.GetElapsedTime(started);
                if (timeout is { } limit && now >= limit)
                {
                    foreach (var id in ids.Where(pending.ContainsKey))
                    {
                        var last = pending[id].LastSeen;
                        pending.Remove(id);
                        failed++;
                        yield return new CharacterWaitResult(id, CharacterWaitOutcome.TimedOut, last, null, pending.Count, settled, failed);
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

                await WaitForSomethingAsync(inFlight.Keys, WakeAt(pending.Values, nextDispatch, timeout) - now, stop.Token).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();

                foreach (var done in inFlight.Keys.Where(t => t.IsCompleted).ToList())
                {
                    inFlight.Remove(done);
                    var poll = done.Result;
                    var tracked = pending[poll.Id];
                    tracked.Polling = false;
                    var outcome = Classify(poll);
                    if (outcome is null)
                    {
                        tracked.LastSeen = poll.Character ?? tracked.LastSeen;
                        tracked.DueAt = _time.GetElapsedTime(started) + _schedule.MinimumInterval;
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
            // Stops polls still in flight when the caller stops early or the deadline passes.
            stop.Cancel();
        }
    }

    /// <summary>Null while the character is still working (or a transient error hid its state).</summary>
    private CharacterWaitOutcome? Classify(Poll poll)
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
            case AurousException e:
                _log($"Still waiting for {poll.Id}: {e.Message}");
                return null;
            default:
                ExceptionDispatchInfo.Capture(poll.Error).Throw();
                return null;
        }
    }

    private TimeSpan WakeAt(IEnumerable<Tracked> pending, TimeSpan nextDispatch, TimeSpan? timeout)
    {
        var wake = TimeSpan.MaxValue;
        foreach (var tracked in pending.Where(t => !t.Polling))
        {
            var due = tracked.Polled && tracked.DueAt < nextDispatch ? nextDispatch : tracked.DueAt;
            wake = due < wake ? due : wake;
        }

        return timeout is { } limit && limit < wake ? limit : wake;
    }

    private async Task WaitForSomethingAsync(IEnumerable<Task> polls, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>(polls);
        if (delay < TimeSpan.MaxValue - TimeSpan.FromDays(1))
        {
            tasks.Add(_time.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, wake.Token));
        }
        else
        {
            tasks.Add(Task.Delay(Timeout.Infinite, wake.Token));
        }

        await Task.WhenAny(tasks).ConfigureAwait(false);
        wake.Cancel();
    }

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
