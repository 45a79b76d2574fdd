using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client.Http;
using Aurous.Client.Serialization;

namespace Aurous.Client;

/// <summary>
/// The emulator's control calls (/_emulator/…): reset, ledger, credits, finishing a synthesis, the clock, faults. They
/// take no key and no rate-limit token and answer loopback callers only, so this is a plain HttpClient, not the API's
/// pipeline, and it refuses any address that is not on this machine.
/// </summary>
public sealed class AurousEmulatorControl
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    // Control calls answer at once (faults only delay /v1 calls): a short timeout, no proxy, no redirects.
    private static readonly Lazy<HttpClient> Http = new(() => new HttpClient(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) });

    /// <exception cref="AurousConfigurationException">NotAnEmulator, for an address that is not http to this machine.</exception>
    public AurousEmulatorControl(Uri baseUri)
    {
        if (!baseUri.IsAbsoluteUri || baseUri.Scheme != Uri.UriSchemeHttp || !baseUri.IsLoopback)
        {
            throw new AurousConfigurationException(
                $"{AurousMessages.Server(baseUri)} is not an emulator on this machine: the emulator's commands work only against a local emulator (http on a loopback address). Start one with Start-AurousEmulator, or pass the one it returned with -Emulator.",
                AurousErrors.NotAnEmulator);
        }

        BaseUri = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>
    /// Back to the seeded state: one team (its characters, ledger, credits, idempotency records and buckets), or with
    /// <paramref name="team"/> null everything (every team, faults, the clock). This machine's client buckets for the
    /// team's key, or for every key, start full again too, as the server's do.
    /// </summary>
    public async Task ResetAsync(string? team, CancellationToken cancellationToken)
    {
        var keys = team is null ? new[] { null, AurousEmulatorTeams.KeyFor(AurousEmulatorTeams.TeamA), AurousEmulatorTeams.KeyFor(AurousEmulatorTeams.TeamB) } : new[] { AurousEmulatorTeams.KeyFor(team) };
        await SendAsync(HttpMethod.Post, team is null ? "reset" : $"teams/{AurousEmulatorTeams.CheckName(team)}/reset", null, null, cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            RateLimiterRegistry.Reset(BaseUri, key, AurousRateLimits.DefaultSharedStateDirectory);
        }
    }

    public async Task<AurousEmulatorLedger> GetLedgerAsync(string team, CancellationToken cancellationToken) =>
        Read(await SendAsync(HttpMethod.Get, $"teams/{AurousEmulatorTeams.CheckName(team)}/ledger", null, null, cancellationToken).ConfigureAwait(false), AurousJsonContext.Default.AurousEmulatorLedger);

    public Task SetCreditsAsync(string team, int credits, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"teams/{AurousEmulatorTeams.CheckName(team)}/credits", new Dictionary<string, object?> { ["credits"] = credits }, null, cancellationToken);

    /// <summary>Ends a running synthesis now, reviewing or failed, and returns the character as it then stands.</summary>
    public async Task<Character> FinishSynthesisAsync(string id, bool failed, string? errorMessage, CancellationToken cancellationToken)
    {
        AurousValidation.CharacterId(id);
        var body = new Dictionary<string, object?> { ["outcome"] = failed ? "failed" : "reviewing" };
        if (errorMessage is not null)
        {
            body["error_message"] = errorMessage;
        }

        return Read(await SendAsync(HttpMethod.Post, $"characters/{Uri.EscapeDataString(id)}/finish", body, id, cancellationToken).ConfigureAwait(false), AurousJsonContext.Default.Character);
    }

    /// <summary>Moves the emulator's clock forward: syntheses end, idempotency records and ref URLs expire, buckets refill.</summary>
    public async Task<AurousEmulatorClock> AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken) =>
        Read(await SendAsync(HttpMethod.Post, "clock/advance", new Dictionary<string, object?> { ["seconds"] = by.TotalSeconds }, null, cancellationToken).ConfigureAwait(false), AurousJsonContext.Default.AurousEmulatorClock);

    public Task AddFaultAsync(AurousEmulatorFault fault, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?> { ["route"] = fault.Route, ["kind"] = fault.Kind };
        Add(body, "count", fault.Count);
        Add(body, "rate", fault.Rate);
        Add(body, "delay_ms", fault.DelayMs);
        Add(body, "retry_after_seconds", fault.RetryAfterSeconds);
        return SendAsync(HttpMethod.Post, "faults", body, null, cancellationToken);
    }

    public Task ClearFaultsAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, "faults", null, null, cancellationToken);

    /// <summary>Returns once the server at <paramref name="baseUri"/> answers anything at all.</summary>
    /// <exception cref="AurousConfigurationException">EmulatorStartFailed, after 10 s without an answer.</exception>
    internal static async Task WaitUntilAnsweringAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                using var answer = await Http.Value.GetAsync(baseUri, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow - started < AnswerTimeout)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new AurousConfigurationException($"The emulator said it listens on {baseUri}, but it has not answered there for {AnswerTimeout.TotalSeconds:0} s ({e.Message}).", AurousErrors.EmulatorStartFailed);
            }
        }
    }

    private static void Add(Dictionary<string, object?> body, string name, object? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static T Read<T>(byte[] body, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The answer is null.");
        }
        catch (JsonException e)
        {
            throw new AurousException($"The emulator's answer could not be read ({e.Message}): it may be older or newer than this module.", AurousErrors.InvalidResponse);
        }
    }

    private async Task<byte[]> SendAsync(HttpMethod method, string path, Dictionary<string, object?>? body, string? characterId, CancellationToken cancellationToken)
    {
        var call = $"{method} /_emulator/{path}";
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, "_emulator/" + path));
        if (body is not null)
        {
            request.Content = new StringContent(AurousJson.Serialize(body), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await Http.Value.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var errorId = e is HttpRequestException ? AurousErrors.ConnectionFailed : AurousErrors.RequestTimedOut;
            throw new AurousException(AurousMessages.Sentences($"Could not reach the emulator at {AurousMessages.Server(BaseUri)} ({call}): {AurousMessages.Clause((e.InnerException ?? e).Message)}", "Check that it is still running: Start-AurousEmulator starts one"), errorId);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return bytes;
            }

            throw Refused(response, bytes, call, characterId);
        }
    }

    private AurousException Refused(HttpResponseMessage response, byte[] body, string call, string? characterId)
    {
        var status = (int)response.StatusCode;
        ErrorBody? error = null;
        try
        {
            error = body.Length == 0 ? null : JsonSerializer.Deserialize(body, AurousJsonContext.Default.ErrorEnvelope)?.Error;
        }
        catch (JsonException)
        {
            // Not the emulator's envelope: the status decides.
        }

        // The emulator names what was not found (param character_id, team); a 404 naming nothing is a route it does not have.
        if (status == 404 && error?.Param is null)
        {
            return new AurousException($"{AurousMessages.Server(BaseUri)} answered 404 to {call}: it is not an Aurous emulator, or one older than this module. Start one with Start-AurousEmulator.", AurousErrors.NotAnEmulator);
        }

        var info = AurousErrors.FromResponse(status, error?.Code, characterId is null ? AurousErrors.ResourceNotFound : AurousErrors.CharacterNotFound);
        var reason = AurousMessages.Clause(string.IsNullOrWhiteSpace(error?.Message) ? response.ReasonPhrase : error!.Message);
        var facts = $"HTTP {status}{(error?.Code is null ? "" : " " + error.Code)}{(error?.Param is null ? "" : ", param " + error.Param)}, {call} to the emulator at {AurousMessages.Server(BaseUri)}";
        return new AurousException($"{reason} ({facts}).", info.ErrorId, info.Category, characterId: characterId);
    }
}
