using System.Text.Json;

namespace Aurous.Emulator;

internal sealed record LedgerView(string Team, int Credits, IReadOnlyList<Charge> Charges);

internal sealed record CreditsView(string Team, int Credits);

internal sealed record ClockView(string Now, double OffsetSeconds);

internal sealed record FaultView(string Route, string Kind, int? Count, double? Rate, int DelayMs, int RetryAfterSeconds);

internal sealed record ResetView(bool Reset);

internal sealed record TeamResetView(bool Reset, string Team);

/// <summary>
/// The /_emulator control surface that tests and demos use to arrange and inspect state. Outside the /v1
/// contract: no API key, no rate limits, loopback callers only (enforced by <see cref="EmulatorMiddleware"/>).
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, EmulatorEngine engine)
    {
        var state = engine.State;
        var control = app.MapGroup("/_emulator");

        control.MapPost("/reset", (HttpContext context) =>
        {
            engine.Reset();
            return Write(context, 200, new ResetView(true));
        });

        control.MapPost("/teams/{team}/reset", (HttpContext context, string team) =>
        {
            Team found;
            lock (state.Sync)
            {
                found = FindTeam(state, team);
            }

            engine.Reset(found);
            return Write(context, 200, new TeamResetView(true, found.Name));
        });

        control.MapGet("/teams/{team}/ledger", (HttpContext context, string team) =>
        {
            lock (state.Sync)
            {
                var found = FindTeam(state, team);
                return Write(context, 200, new LedgerView(found.Name, found.Credits, found.Ledger.ToList()));
            }
        });

        control.MapPut("/teams/{team}/credits", async (HttpContext context, string team) =>
        {
            var fields = await ObjectAsync(context);
            var credits = Integer(fields, "credits", required: true, min: 0)!.Value;
            CreditsView view;
            lock (state.Sync)
            {
                var found = FindTeam(state, team);
                state.SetCredits(found, credits);
                engine.Commit();
                view = new CreditsView(found.Name, found.Credits);
            }

            await Write(context, 200, view);
        });

        control.MapGet("/characters/{id}", (HttpContext context, string id) =>
        {
            lock (state.Sync)
            {
                var character = state.Find(id) ?? throw ApiErrors.CharacterNotFound();
                return Write(context, 200, CharacterView.From(character, context.Request.BaseUri(), engine.Signer));
            }
        });

        control.MapPost("/characters/{id}/finish", async (HttpContext context, string id) =>
        {
            var fields = await ObjectAsync(context);
            var outcome = String(fields, "outcome", required: true);
            if (outcome is not ("reviewing" or "failed"))
            {
                throw ApiErrors.InvalidRequest("outcome must be \"reviewing\" or \"failed\".", "outcome");
            }

            var message = String(fields, "error_message", required: false);
            var baseUri = context.Request.BaseUri();
            CharacterView view;
            lock (state.Sync)
            {
                var character = state.Find(id);
                if (character is null || character.Status == CharacterStatus.Deleted)
                {
                    throw ApiErrors.CharacterNotFound();
                }

                state.Finish(character, outcome == "reviewing", message);
                engine.Commit();
                view = CharacterView.From(character, baseUri, engine.Signer);
            }

            await Write(context, 200, view);
        });

        control.MapPost("/clock/advance", async (HttpContext context) =>
        {
            var fields = await ObjectAsync(context);
            if (!fields.TryGetValue("seconds", out var value) || value.ValueKind != JsonValueKind.Number
                || !value.TryGetDouble(out var seconds) || seconds < 0 || seconds > TimeSpan.FromDays(3650).TotalSeconds)
            {
                throw ApiErrors.InvalidRequest("seconds must be a number from 0 up to ten years.", "seconds");
            }

            engine.Advance(TimeSpan.FromSeconds(seconds));
            await Write(context, 200, new ClockView(CharacterView.Timestamp(engine.Clock.GetUtcNow()), engine.Clock.Offset.TotalSeconds));
        });

        control.MapPost("/faults", async (HttpContext context) =>
        {
            var rule = ParseFault(await ObjectAsync(context));
            engine.Faults.Add(rule);
            await Write(context, 201, new FaultView(rule.Route, FaultRule.WireName(rule.Kind), rule.Count, rule.Rate, rule.DelayMs, rule.RetryAfterSeconds));
        });

        control.MapDelete("/faults", (HttpContext context) =>
        {
            engine.Faults.Clear();
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
    }

    private static FaultRule ParseFault(Dictionary<string, JsonElement> fields)
    {
        var route = String(fields, "route", required: true)!;
        if (!FaultRule.Routes.Contains(route))
        {
            throw ApiErrors.InvalidRequest($"route must be one of {string.Join(", ", FaultRule.Routes)}.", "route");
        }

        var kindText = String(fields, "kind", required: true)!;
        var kind = FaultRule.ParseKind(kindText)
            ?? throw ApiErrors.InvalidRequest("kind must be error_500, drop_after_commit, delay or rate_limit.", "kind");
        var count = Integer(fields, "count", required: false, min: 1);
        double? rate = null;
        if (fields.TryGetValue("rate", out var rateValue))
        {
            if (rateValue.ValueKind != JsonValueKind.Number || !rateValue.TryGetDouble(out var r) || r <= 0 || r > 1)
            {
                throw ApiErrors.InvalidRequest("rate must be a number greater than 0 and at most 1.", "rate");
            }

            rate = r;
        }

        if ((count is null) == (rate is null))
        {
            throw ApiErrors.InvalidRequest("Give exactly one of count (next N requests) or rate (share of requests).", count is null ? "count" : "rate");
        }

        var delayMs = Integer(fields, "delay_ms", required: kind == FaultKind.Delay, min: 0) ?? 0;
        var retryAfter = Integer(fields, "retry_after_seconds", required: false, min: 1) ?? 1;
        var allowed = new[] { "route", "kind", "count", "rate", "delay_ms", "retry_after_seconds" };
        var unknown = fields.Keys.Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw ApiErrors.InvalidRequest($"Unknown field(s): {string.Join(", ", unknown)}.", unknown[0]);
        }

        return new FaultRule(route, kind, count, rate, delayMs, retryAfter);
    }

    private static async Task<Dictionary<string, JsonElement>> ObjectAsync(HttpContext context)
    {
        var body = await EmulatorJson.ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is not { ValueKind: JsonValueKind.Object } value)
        {
            throw ApiErrors.InvalidRequest("A JSON object body is required.", null);
        }

        return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
    }

    private static string? String(Dictionary<string, JsonElement> fields, string name, bool required)
    {
        if (fields.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (!required && (!fields.ContainsKey(name) || value.ValueKind == JsonValueKind.Null))
        {
            return null;
        }

        throw ApiErrors.InvalidRequest($"{name} must be a string.", name);
    }

    private static int? Integer(Dictionary<string, JsonElement> fields, string name, bool required, int min)
    {
        if (!fields.TryGetValue(name, out var value))
        {
            return required ? throw ApiErrors.InvalidRequest($"{name} is required.", name) : null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min)
        {
            throw ApiErrors.InvalidRequest($"{name} must be a whole number of at least {min}.", name);
        }

        return number;
    }

    /// <summary>Any name a key can hold is a team (a new one reads as fresh); anything else is a route that does not exist.</summary>
    private static Team FindTeam(EmulatorState state, string name) =>
        state.TeamByName(name) ?? throw new ApiException(404, "invalid_request_error", "resource_not_found", $"No team can be named '{name}': team keys are {TeamKeys.Rule}.", "team");

    private static Task Write<T>(HttpContext context, int status, T value) =>
        new ApiResult(status, EmulatorJson.Serialize(value)).WriteAsync(context);
}
