using System.Net;
using System.Net.Sockets;
using Aurous.Client.Http;

namespace Aurous.Client.Tests;

public class RetryRulesTests
{
    private static readonly AurousRetryPolicy Policy = new() { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(20) };

    [Theory]
    [InlineData(429, true, true)]
    [InlineData(429, false, true)]
    [InlineData(500, true, true)]
    [InlineData(502, true, true)]
    [InlineData(503, true, true)]
    [InlineData(504, true, true)]
    [InlineData(500, false, false)]
    [InlineData(400, true, false)]
    [InlineData(401, true, false)]
    [InlineData(402, true, false)]
    [InlineData(404, true, false)]
    [InlineData(409, true, false)]
    public void Retries_only_transient_statuses_and_a_5xx_only_when_repeating_is_safe(int status, bool safeToRepeat, bool retried)
    {
        Assert.Equal(retried, RetryHandler.ShouldRetry((HttpStatusCode)status, safeToRepeat));
    }

    [Fact]
    public void A_paid_call_without_a_key_is_retried_after_a_transport_failure_only_if_the_server_never_saw_it()
    {
        var refused = new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new HttpRequestException("x", new IOException("The response ended prematurely."));

        Assert.True(RetryHandler.ShouldRetry(refused, safeToRepeat: false));
        Assert.False(RetryHandler.ShouldRetry(reset, safeToRepeat: false));
        Assert.False(RetryHandler.ShouldRetry(new TimeoutException(), safeToRepeat: false));
        Assert.True(RetryHandler.ShouldRetry(reset, safeToRepeat: true));
        Assert.False(RetryHandler.ShouldRetry(new EndpointUnreachableException("open circuit"), safeToRepeat: true));
    }

    [Theory]
    [InlineData(200, false, false)]
    [InlineData(200, true, false)]
    [InlineData(402, true, false)]
    [InlineData(500, false, true)]
    [InlineData(503, false, true)]
    [InlineData(429, false, false)]
    [InlineData(429, true, true)]
    [InlineData(409, true, true)]
    public void A_5xx_leaves_the_outcome_open_and_only_an_answer_about_the_request_itself_closes_it(int status, bool openBefore, bool openAfter)
    {
        Assert.Equal(openAfter, RetryHandler.LeavesOutcomeOpen((HttpStatusCode)status, openBefore));
    }

    [Fact]
    public void Only_a_refused_connection_proves_the_server_never_saw_the_request()
    {
        Assert.True(RetryHandler.NeverReachedServer(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(RetryHandler.NeverReachedServer(new HttpRequestException("x", new IOException("The response ended prematurely."))));
        Assert.False(RetryHandler.NeverReachedServer(new TimeoutException()));
    }

    [Theory]
    [InlineData(1, 0.5, 250)]
    [InlineData(2, 0.5, 500)]
    [InlineData(3, 1.0, 2000)]
    [InlineData(10, 0.999999, 20000)]
    [InlineData(4, 0.0, 0)]
    public void Backoff_is_full_jitter_under_an_exponential_ceiling(int attempt, double random, int expectedMs)
    {
        Assert.Equal(expectedMs, Backoff.Delay(Policy, attempt, null, random).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Retry_After_is_a_floor_never_cut_short_by_the_jitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), Backoff.Delay(Policy, 1, TimeSpan.FromSeconds(3), 0.9));
        Assert.Equal(TimeSpan.FromSeconds(1.8), Backoff.Delay(Policy, 3, TimeSpan.FromSeconds(1), 0.9));
    }
}
