using System;
using System.Collections.Concurrent;

namespace Aurous.Client.Http;

/// <summary>
/// Whether an endpoint (scheme, host and port) is worth sending to, as this process has seen it: one per endpoint,
/// shared by every client, cmdlet call and runspace. Closed while the endpoint answers. Open once its attempts have
/// gone unanswered for the unreachable timeout: every call then fails at once instead of each one retrying and
/// waiting against a dead server. While open, one attempt every <see cref="ProbeInterval"/> is let through to find
/// out (half-open), and any answer at all, a 429 or a 500 included, closes it.
/// </summary>
internal sealed class EndpointCircuit
{
    /// <summary>How often an open circuit lets one attempt through to see whether the endpoint is back.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private static readonly ConcurrentDictionary<string, EndpointCircuit> Circuits = new(StringComparer.OrdinalIgnoreCase);

    private readonly object _gate = new();

    // When the first attempt still unanswered began (null: the last attempt was answered), and the last failure.
    private DateTimeOffset? _unansweredSince;
    private DateTimeOffset _lastFailure;
    private string _cause = "";
    private bool _open;
    private DateTimeOffset _nextProbe;

    public static EndpointCircuit For(Uri uri) => Circuits.GetOrAdd(uri.GetLeftPart(UriPartial.Authority), _ => new EndpointCircuit());

    /// <summary>Whether an attempt may go now: always when closed; when open, the first one due as a probe.</summary>
    /// <param name="now">the current time.</param>
    /// <param name="refusal">why not, for the caller's error: how long the endpoint has not answered, and the last cause.</param>
    public bool TryAdmit(DateTimeOffset now, out string refusal)
    {
        lock (_gate)
        {
            refusal = "";
            if (!_open)
            {
                return true;
            }

            if (now >= _nextProbe)
            {
                _nextProbe = now + ProbeInterval;
                return true;
            }

            refusal = $"it has given no answer for {Elapsed.Format(now - _unansweredSince!.Value)} (last: {_cause}), so this process sends it nothing until it answers again; one call every {ProbeInterval.TotalSeconds:0} s tries it";
            return false;
        }
    }

    /// <summary>Any answer, whatever its status: the endpoint is there.</summary>
    /// <returns>whether the circuit was open until now.</returns>
    public bool Answered()
    {
        lock (_gate)
        {
            var wasOpen = _open;
            _open = false;
            _unansweredSince = null;
            return wasOpen;
        }
    }

    /// <summary>An attempt got no answer (refused, unresolved, dropped, timed out).</summary>
    /// <param name="started">when the attempt was sent.</param>
    /// <param name="now">when it failed.</param>
    /// <param name="unreachableTimeout">how long without an answer opens the circuit.</param>
    /// <param name="cause">what the network said, in a few words.</param>
    /// <returns>whether this failure opened the circuit.</returns>
    public bool Failed(DateTimeOffset started, DateTimeOffset now, TimeSpan unreachableTimeout, string cause)
    {
        lock (_gate)
        {
            // Failures further apart than the timeout are separate blips, not one outage: an hour-old failure and a
            // new one do not prove the endpoint has been dead all along.
            if (_unansweredSince is null || now - _lastFailure > unreachableTimeout)
            {
                _unansweredSince = started;
            }
            else if (started < _unansweredSince)
            {
                _unansweredSince = started;
            }

            _lastFailure = now;
            _cause = cause;
            if (_open || now - _unansweredSince.Value < unreachableTimeout)
            {
                return false;
            }

            _open = true;
            _nextProbe = now + ProbeInterval;
            return true;
        }
    }
}
