using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aurous.Emulator;

/// <summary>What a /v1 handler gets once the pipeline has authenticated and parsed the request.</summary>
internal sealed record V1Call(Team Team, JsonElement? Body, string? IdempotencyKey, string ApiVersion, Uri BaseUri);

/// <summary>A /v1 route: its fault/ledger name, its rate-limit bucket, and whether it honours Idempotency-Key.</summary>
internal sealed record V1Route(string Name, BucketKind Bucket, bool Idempotent);

/// <summary>
/// The documented /v1 surface. Every route runs the same pipeline, in this order: injected fault, API key,
/// Aurous-Version, Idempotency-Key format, rate-limit bucket, body syntax, idempotency claim or replay, then the
/// handler under the state lock (validation, lookup, state check, credits, commit).
/// </summary>
internal static partial class V1Endpoints
{
    private static readonly V1Route Get = new("get", BucketKind.CharactersGet, Idempotent: false);
    private static readonly V1Route List = new("list", BucketKind.CharactersGet, Idempotent: false);
    private static readonly V1Route Update = new("update", BucketKind.CharactersPost, Idempotent: true);
    private static readonly V1Route Save = new("save", BucketKind.CharactersPost, Idempotent: true);
    private static readonly V1Route Delete = new("delete", BucketKind.CharactersPost, Idempotent: true);
    private static readonly V1Route Create = new("create", BucketKind.CharactersSynthesize, Idempotent: true);
    private static readonly V1Route Resynthesize = new("resynthesize", BucketKind.CharactersSynthesize, Idempotent: true);
    private static readonly V1Route Regenerate = new("regenerate", BucketKind.CharactersSynthesize, Idempotent: true);

    public static void Map(WebApplication app, EmulatorEngine engine)
    {
        var state = engine.State;
        var signer = engine.Signer;
        ApiResult View(V1Call call, StoredCharacter character, int status = 200) =>
            new(status, EmulatorJson.Serialize(CharacterView.From(character, call.BaseUri, signer)));

        app.MapGet("/v1/characters/{id}", (HttpContext context, string id) => RunAsync(context, engine, Get, call =>
            View(call, state.Find(call.Team, id))));

        app.MapGet("/v1/characters", (HttpContext context) => RunAsync(context, engine, List, call =>
        {
            var query = CharacterListQuery.Parse(context.Request.Query);
            var (page, hasMore) = state.List(call.Team, query.StartingAfter, query.Limit);
            var data = page.Select(c => CharacterView.From(c, call.BaseUri, signer)).ToList();
            return new ApiResult(200, EmulatorJson.Serialize(new CharacterListView("list", "/v1/characters", data, hasMore)));
        }));

        app.MapPatch("/v1/characters/{id}", (HttpContext context, string id) => RunAsync(context, engine, Update, call =>
        {
            var update = RequestBodies.Update(call.Body);
            var character = state.Find(call.Team, id);
            state.Update(character, update.Name, update.SetAttributes, update.Attributes);
            return View(call, character);
        }));

        app.MapDelete("/v1/characters/{id}", (HttpContext context, string id) => RunAsync(context, engine, Delete, call =>
        {
            var character = state.Find(call.Team, id);
            state.Delete(character);
            return View(call, character);
        }));

        app.MapPost("/v1/characters", (HttpContext context) => RunAsync(context, engine, Create, call =>
        {
            var create = RequestBodies.Create(call.Body);
            return View(call, state.Create(call.Team, create.Name, create.Attributes, call.ApiVersion, call.IdempotencyKey), 201);
        }));

        app.MapPost("/v1/characters/{id}/save", (HttpContext context, string id) => RunAsync(context, engine, Save, call =>
        {
            var character = state.Find(call.Team, id);
            state.Save(character);
            return View(call, character);
        }));

        app.MapPost("/v1/characters/{id}/resynthesize", (HttpContext context, string id) => RunAsync(context, engine, Resynthesize, call =>
        {
            RequestBodies.Resynthesize(call.Body);
            var character = state.Find(call.Team, id);
            state.Resynthesize(call.Team, character, call.IdempotencyKey);
            return View(call, character);
        }));

        app.MapPost("/v1/characters/{id}/refs/regenerate", (HttpContext context, string id) => RunAsync(context, engine, Regenerate, call =>
        {
            var regenerate = RequestBodies.Regenerate(call.Body);
            var character = state.Find(call.Team, id);
            state.Regenerate(call.Team, character, regenerate.Pose, call.IdempotencyKey);
            return View(call, character);
        }));
    }

    private static async Task RunAsync(HttpContext context, EmulatorEngine engine, V1Route route, Func<V1Call, ApiResult> handler)
    {
        var fault = engine.Faults.Draw(route.Name);
        ApiResult result;
        var replayed = false;
        try
        {
            switch (fault?.Kind)
            {
                case FaultKind.Error500:
                    throw ApiErrors.Internal("Injected fault: error_500.");
                case FaultKind.RateLimit:
                    throw ApiErrors.RateLimited(TokenBuckets.WireName(route.Bucket), fault.RetryAfterSeconds);
            }

            var team = Authenticate(context, engine.State);
            var apiVersion = ApiVersion(context);
            var key = route.Idempotent ? IdempotencyKey(context) : null;
            if (engine.Buckets.TryTake(team.Name, route.Bucket) is int retryAfter)
            {
                throw ApiErrors.RateLimited(TokenBuckets.WireName(route.Bucket), retryAfter);
            }

            var body = HttpMethods.IsGet(context.Request.Method) ? null : await EmulatorJson.ReadBodyAsync(context.Request, context.RequestAborted);
            var call = new V1Call(team, body, key, apiVersion, context.Request.BaseUri());
            var delay = fault?.Kind == FaultKind.Delay ? TimeSpan.FromMilliseconds(fault.DelayMs) : TimeSpan.Zero;
            (result, replayed) = key is null
                ? (await ExecuteAsync(engine, call, handler, delay, context.RequestAborted), false)
                : await ExecuteIdempotentAsync(context, engine, call, key, handler, delay);
        }
        catch (ApiException ex)
        {
            result = ex.ToResult();
        }

        if (fault?.Kind == FaultKind.DropAfterCommit)
        {
            // Everything is committed (state, charge, idempotency record); only the response is lost.
            context.Abort();
            return;
        }

        await result.WriteAsync(context, replayed);
    }

    private static async Task<ApiResult> ExecuteAsync(EmulatorEngine engine, V1Call call, Func<V1Call, ApiResult> handler, TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, ct);
        }

        lock (engine.State.Sync)
        {
            var result = handler(call);
            engine.Commit();
            return result;
        }
    }

    private static async Task<(ApiResult Result, bool Replayed)> ExecuteIdempotentAsync(
        HttpContext context, EmulatorEngine engine, V1Call call, string key, Func<V1Call, ApiResult> handler, TimeSpan delay)
    {
        var route = $"{context.Request.Method} {context.Request.Path}";
        var fingerprint = EmulatorJson.Canonicalize(call.Body);
        IdempotencyStore.Entry claimed;
        while (true)
        {
            Task waitFor;
            lock (engine.State.Sync)
            {
                var claim = engine.Idempotency.Begin(call.Team.Name, key, route, fingerprint);
                if (claim.Replay is { } stored)
                {
                    return (stored, true);
                }

                if (claim.Claimed is { } entry)
                {
                    claimed = entry;
                    break;
                }

                waitFor = claim.WaitFor!;
            }

            await waitFor.WaitAsync(context.RequestAborted);
        }

        var completed = false;
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            lock (engine.State.Sync)
            {
                ApiResult result;
                try
                {
                    result = handler(call);
                }
                catch (ApiException ex)
                {
                    result = ex.ToResult();
                }

                engine.Idempotency.Complete(claimed, result);
                completed = true;
                engine.Commit();
                return (result, false);
            }
        }
        finally
        {
            if (!completed)
            {
                lock (engine.State.Sync)
                {
                    engine.Idempotency.Complete(claimed, null);
                }
            }
        }
    }

    private static Team Authenticate(HttpContext context, EmulatorState state)
    {
        var apiKey = context.Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(apiKey))
        {
            throw ApiErrors.MissingApiKey();
        }

        lock (state.Sync)
        {
            return state.TeamByKey(apiKey) ?? throw ApiErrors.UnknownApiKey();
        }
    }

    private static string ApiVersion(HttpContext context)
    {
        var values = context.Request.Headers["Aurous-Version"];
        if (values.Count == 0)
        {
            return EmulatorDefaults.DefaultApiVersion;
        }

        var version = values.Count == 1 ? values[0] ?? "" : "";
        if (!VersionPattern().IsMatch(version) || !DateOnly.TryParseExact(version, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw ApiErrors.InvalidRequest("Aurous-Version must be one date in the form YYYY-MM-DD, e.g. 2026-05-15.", "Aurous-Version");
        }

        return version;
    }

    private static string? IdempotencyKey(HttpContext context)
    {
        var values = context.Request.Headers["Idempotency-Key"];
        if (values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] ?? "" : "";
        if (key.Length is < 1 or > IdempotencyStore.MaxKeyLength)
        {
            throw ApiErrors.InvalidRequest($"Idempotency-Key must be one value of 1 to {IdempotencyStore.MaxKeyLength} characters.", "Idempotency-Key");
        }

        return key;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
