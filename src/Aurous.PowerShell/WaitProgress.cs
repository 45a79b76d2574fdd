using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Shows the client's noticeable waits (a rate-limit bucket, a server's Retry-After, a retry backoff) as a progress
    /// bar that counts down once a second, so a pause nobody asked for is never silent. Waits are announced on the
    /// client's threads; every WriteProgress happens on the pipeline thread through the dispatcher, and
    /// $ProgressPreference applies as to any progress record.
    /// </summary>
    internal sealed class WaitProgress
    {
        private const int ActivityId = ProgressActivities.ClientWait;
        private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

        private readonly PipelineThreadDispatcher _dispatcher;
        private readonly Action<ProgressRecord> _write;
        private readonly object _gate = new object();
        private Timer? _timer;
        private AurousWait? _wait;
        private long _startedAt;
        private long _endsAt;

        // Bumped whenever the bar is closed, so an update queued before that is dropped instead of reopening it.
        private int _generation;
        private bool _shown;

        public WaitProgress(PipelineThreadDispatcher dispatcher, Action<ProgressRecord> write)
        {
            _dispatcher = dispatcher;
            _write = write;
        }

        /// <summary>Any thread. Of overlapping waits the bar follows the one that ends last.</summary>
        public void Show(AurousWait wait)
        {
            long now = Stopwatch.GetTimestamp();
            long endsAt = now + (long)(wait.Duration.TotalSeconds * Stopwatch.Frequency);
            lock (_gate)
            {
                if (_wait != null && endsAt <= _endsAt)
                {
                    return;
                }

                (_wait, _startedAt, _endsAt) = (wait, now, endsAt);
                _timer ??= new Timer(_ => Update(), null, Tick, Tick);
            }

            Update();
        }

        /// <summary>Pipeline thread, when a call ends: closes the bar if one is open.</summary>
        public void Close(bool writable)
        {
            bool shown;
            lock (_gate)
            {
                StopLocked();
                shown = _shown;
                _shown = false;
            }

            if (shown && writable)
            {
                _write(Completed());
            }
        }

        private void Update()
        {
            ProgressRecord record;
            int generation;
            lock (_gate)
            {
                if (_wait == null)
                {
                    return;
                }

                long now = Stopwatch.GetTimestamp();
                if (now >= _endsAt)
                {
                    StopLocked();
                    record = Completed();
                }
                else
                {
                    record = Counting(_wait, (_endsAt - now) / (double)Stopwatch.Frequency, (now - _startedAt) / (double)(_endsAt - _startedAt));
                }

                generation = _generation;
            }

            _dispatcher.Post(() =>
            {
                lock (_gate)
                {
                    if (generation != _generation && record.RecordType != ProgressRecordType.Completed)
                    {
                        return;
                    }

                    _shown = record.RecordType != ProgressRecordType.Completed;
                }

                _write(record);
            });
        }

        private void StopLocked()
        {
            _timer?.Dispose();
            _timer = null;
            _wait = null;
            _generation++;
        }

        /// <summary>
        /// The console's one-line bar cuts an activity longer than half its width (39 characters at 80 columns), so the
        /// activity is little more than the host, whole, and the bucket goes into the status, which has the bar's room.
        /// </summary>
        private const int MaxActivity = 38;

        private static ProgressRecord Counting(AurousWait wait, double secondsLeft, double done)
        {
            string activity = wait.Reason switch
            {
                AurousWaitReason.RateLimit => "Rate limit of ",
                AurousWaitReason.RetryAfter => "429 from ",
                _ => "Retrying ",
            };
            activity = activity.Length + wait.Host.Length <= MaxActivity ? activity + wait.Host : wait.Host;
            string left = $"{Math.Ceiling(secondsLeft):0} s left of {wait.Duration.TotalSeconds:0.#} s";
            string status = wait.Reason switch
            {
                AurousWaitReason.Backoff => $"after a failed request, {left}",
                _ when wait.Bucket != null => $"{wait.Bucket}, {left}",
                _ => left,
            };
            return new ProgressRecord(ActivityId, activity, status)
            {
                SecondsRemaining = (int)Math.Ceiling(secondsLeft),
                PercentComplete = Math.Max(0, Math.Min(99, (int)(done * 100))),
            };
        }

        private static ProgressRecord Completed() =>
            new ProgressRecord(ActivityId, "Waiting for the Aurous API", "Done") { RecordType = ProgressRecordType.Completed };
    }
}
