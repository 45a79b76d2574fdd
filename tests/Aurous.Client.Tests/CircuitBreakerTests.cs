using System.Net;
using System.Net.Sockets;
using System.Text;
using Aurous.Client.Http;

namespace Aurous.Client.Tests;

/// <summary>
/// A dead endpoint fails fast and costs no budget: attempts that never reached it give their token back, and once it
/// has given no answer for the unreachable timeout, calls fail at once, without retries, until one answer closes the
/// circuit again. Times come from a <see cref="TestClock"/>; the dead endpoint is a loopback port nobody listens on.
/// </summary>
public class CircuitBreakerTests
{
    private static readonly TimeSpan Timeout = CharacterWaitOptions.DefaultUnreachableTimeout;
    private static readonly DateTimeOffset T0 = new(2026, 5, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Failures_open_the_circuit_only_once_they_span_the_unreachable_timeout()
    {
        var circuit = new EndpointCircuit();

        Assert.False(circuit.Failed(T0, T0, Timeout, "Connection refused"));
        Assert.False(circuit.Failed(T0.AddSeconds(20), T0.AddSeconds(20), Timeout, "Connection refused"));
        Assert.True(circuit.TryAdmit(T0.AddSeconds(29), out _));
        Assert.False(circuit.Failed(T0.AddSeconds(29.9), T0.AddSeconds(29.9), Timeout, "Connection refused"));
        Assert.True(circuit.Failed(T0.AddSeconds(30), T0.AddSeconds(30), Timeout, "Connection refused"));

        Assert.False(circuit.TryAdmit(T0.AddSeconds(30), out var refusal));
        Assert.Equal("it has given no answer for 30.0 s (last: Connection refused), so this process sends it nothing until it answers again; one call every 5 s tries it", refusal);
    }

    [Fact]
    public void An_attempt_that_hung_for_the_whole_timeout_opens_it_at_once()
    {
        var circuit = new EndpointCircuit();

        Assert.True(circuit.Failed(T0, T0.AddSeconds(100), Timeout, "No answer within 100 s"));
        Assert.False(circuit.TryAdmit(T0.AddSeconds(100), out _));
    }

    [Fact]
    public void Failures_further_apart_than_the_timeout_are_separate_blips()
    {
        var circuit = new EndpointCircuit();

        Assert.False(circuit.Failed(T0, T0, Timeout, "Connection refused"));
        Assert.False(circuit.Failed(T0.AddSeconds(40), T0.AddSeconds(40), Timeout, "Connection refused"));
        Assert.False(circuit.Failed(T0.AddSeconds(69), T0.AddSeconds(69), Timeout, "Connection refused"));
        Assert.True(circuit.TryAdmit(T0.AddSeconds(69), out _));
    }

    [Fact]
    public void An_open_circuit_lets_one_probe_through_every_5_s_and_any_answer_closes_it()
    {
        var circuit = new EndpointCircuit();
        circuit.Failed(T0, T0.AddSeconds(30), Timeout, "Connection refused");

        Assert.False(circuit.TryAdmit(T0.AddSeconds(34.9), out _));
        Assert.True(circuit.TryAdmit(T0.AddSeconds(35), out _));
        Assert.False(circuit.TryAdmit(T0.AddSeconds(35.1), out _));
        Assert.False(circuit.Failed(T0.AddSeconds(35), T0.AddSeconds(35.2), Timeout, "Connection refused"));
        Assert.False(circuit.TryAdmit(T0.AddSeconds(39), out _));
        Assert.True(circuit.TryAdmit(T0.AddSeconds(40), out _));

        Assert.True(circuit.Answered());
        Assert.True(circuit.TryAdmit(T0.AddSeconds(40.1), out _));
        Assert.True(circuit.TryAdmit(T0.AddSeconds(40.1), out _));
        Assert.False(circuit.Answered());

        // Closed again, it needs a whole new timeout of silence to open.
        Assert.False(circuit.Failed(T0.AddSeconds(41), T0.AddSeconds(41), Timeout, "Connection refused"));
        Assert.True(circuit.TryAdmit(T0.AddSeconds(41), out _));
    }

    [Fact]
    public async Task Against_a_dead_endpoint_calls_fail_at_once_after_30_s_without_retries_and_spend_no_token()
    {
        var clock = new TestClock();
        var port = FreePort();
        var log = new List<AurousLogEvent>();
        var options = DeadEndpointOptions(port, clock, log);

        // characters_synthesize of 3 (2 tokens once the latency allowance is held back): 5 refused attempts of one
        // call would already wait for tokens, and on this clock hang, if refused attempts kept theirs.
        options.RateLimits.CharactersSynthesize = new AurousBucketLimit(3, 6);
        using var client = new AurousClient(options);

        var first = await CreateFailsAsync(client, "Ada");
        Assert.Equal(AurousErrors.ConnectionFailed, first.ErrorId);
        Assert.StartsWith($"New character 'Ada': Could not reach http://127.0.0.1:{port} (POST /v1/characters, 5 attempts): ", first.Message);
        Assert.Equal("This call charged nothing (idempotency key '" + first.IdempotencyKey + "').", first.Message.Substring(first.Message.LastIndexOf("This call", StringComparison.Ordinal)));

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Contains("(POST /v1/characters, 5 attempts)", (await CreateFailsAsync(client, "Bea")).Message);

        // 31 s without an answer: the first attempt of this call opens the circuit, and the retry it would make is not sent.
        clock.Advance(TimeSpan.FromSeconds(11));
        var opening = await CreateFailsAsync(client, "Cyd");
        Assert.Equal(AurousErrors.ConnectionFailed, opening.ErrorId);
        Assert.StartsWith($"New character 'Cyd': Gave up on http://127.0.0.1:{port} (POST /v1/characters, 1 attempt): it has given no answer for 31.0 s (last: Connection refused), so this process sends it nothing until it answers again; one call every 5 s tries it. Check that the server is running", opening.Message);
        Assert.False(opening.OutcomeUnknown);
        Assert.Contains(log, e => e.Message.StartsWith($"127.0.0.1:{port} has given no answer for 30.0 s or more (last: Connection refused): this process's calls to it fail at once", StringComparison.Ordinal));

        var refused = await CreateFailsAsync(client, "Dot");
        Assert.StartsWith($"New character 'Dot': Not sent to http://127.0.0.1:{port} (POST /v1/characters): it has given no answer", refused.Message);
        Assert.Equal(0, log.Count(e => e.Message.Contains("Waiting", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task One_answer_even_a_500_closes_the_circuit_and_the_calls_go_through_again()
    {
        var clock = new TestClock();
        var port = FreePort();
        var log = new List<AurousLogEvent>();
        using var client = new AurousClient(DeadEndpointOptions(port, clock, log));
        await GetFailsAsync(client);
        clock.Advance(TimeSpan.FromSeconds(20));
        await GetFailsAsync(client);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Contains("Gave up on", (await GetFailsAsync(client)).Message);
        Assert.Contains("Not sent to", (await GetFailsAsync(client)).Message);

        using var server = new AnsweringServer(port);
        Assert.Contains("Not sent to", (await GetFailsAsync(client)).Message);
        clock.Advance(EndpointCircuit.ProbeInterval);
        var answered = await GetFailsAsync(client);

        // The probe got a 500 and closed the circuit, so the retries went to the server too.
        Assert.Equal(AurousErrors.ServerError, answered.ErrorId);
        Assert.Equal(5, server.Requests);
        Assert.Contains(log, e => e.Message == $"127.0.0.1:{port} answers again: calls to it go through as before.");
    }

    [Fact]
    public async Task A_paid_call_whose_answer_was_lost_still_names_its_key_when_the_circuit_stops_its_retries()
    {
        var clock = new TestClock();
        var port = FreePort();
        var options = DeadEndpointOptions(port, clock, new List<AurousLogEvent>());
        options.RequestTimeout = TimeSpan.FromSeconds(40);
        using var client = new AurousClient(options);

        // An endpoint that accepts the connection and never answers: the attempt may have reached it.
        using var silent = new TcpListener(IPAddress.Loopback, port);
        silent.Start();
        var create = client.CreateCharacterAsync(new CharacterCreate { Name = "Eve", IdempotencyKey = "import-eve" });
        while (clock.ActiveTimers == 0)
        {
            await Task.Delay(10);
        }

        clock.Advance(options.RequestTimeout);
        var failure = await Assert.ThrowsAsync<AurousApiException>(() => create.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(AurousErrors.ConnectionFailed, failure.ErrorId);
        Assert.True(failure.OutcomeUnknown);
        Assert.Equal("import-eve", failure.IdempotencyKey);
        Assert.Contains("Gave up on", failure.Message);
        Assert.EndsWith("It may have been charged; its idempotency key is 'import-eve', and a repeat with that key cannot charge twice.", failure.Message);
    }

    private static AurousClientOptions DeadEndpointOptions(int port, TestClock clock, List<AurousLogEvent> log) => new()
    {
        ApiKey = Aurous.Emulator.EmulatorDefaults.TeamAKey,
        BaseUri = new Uri($"http://127.0.0.1:{port}/"),
        Retry = new AurousRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        RequestTimeout = TimeSpan.FromSeconds(10),
        RateLimits = new AurousRateLimits { SharedStateDirectory = Path.Combine(Path.GetTempPath(), "aurous-tests-" + Guid.NewGuid().ToString("n")) },
        TimeProvider = clock,
        HostDescription = "xunit",
        Log = e =>
        {
            lock (log)
            {
                log.Add(e);
            }
        },
    };

    private static async Task<AurousApiException> CreateFailsAsync(AurousClient client, string name) =>
        await Assert.ThrowsAsync<AurousApiException>(() => client.CreateCharacterAsync(new CharacterCreate { Name = name }).WaitAsync(TimeSpan.FromSeconds(10)));

    private static async Task<AurousApiException> GetFailsAsync(AurousClient client) =>
        await Assert.ThrowsAsync<AurousApiException>(() => client.GetCharacterAsync("char_01HXMQ7Z3K8Y2NABCDEFGHJKMR").WaitAsync(TimeSpan.FromSeconds(10)));

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>An endpoint that answers every request with a bare 500 and counts them.</summary>
    private sealed class AnsweringServer : IDisposable
    {
        private readonly TcpListener _listener;
        private int _requests;

        public AnsweringServer(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose() => _listener.Stop();

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    using var connection = await _listener.AcceptTcpClientAsync();
                    var stream = connection.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer);
                        if (read == 0)
                        {
                            break;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    Interlocked.Increment(ref _requests);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // Stopped.
            }
        }
    }
}
