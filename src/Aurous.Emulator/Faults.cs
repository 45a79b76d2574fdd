namespace Aurous.Emulator;

internal enum FaultKind
{
    Error500,
    DropAfterCommit,
    Delay,
    RateLimit,
}

/// <summary>One injected fault: for the next Count requests of a route, or for a share (Rate) of them.</summary>
internal sealed record FaultRule(string Route, FaultKind Kind, int? Count, double? Rate, int DelayMs, int RetryAfterSeconds)
{
    public const string AnyRoute = "*";

    public static readonly IReadOnlySet<string> Routes =
        new HashSet<string>(StringComparer.Ordinal) { "get", "list", "update", "save", "resynthesize", "regenerate", "create", "delete", AnyRoute };

    public static string WireName(FaultKind kind) => kind switch
    {
        FaultKind.Error500 => "error_500",
        FaultKind.DropAfterCommit => "drop_after_commit",
        FaultKind.Delay => "delay",
        _ => "rate_limit",
    };

    public static FaultKind? ParseKind(string value) => value switch
    {
        "error_500" => FaultKind.Error500,
        "drop_after_commit" => FaultKind.DropAfterCommit,
        "delay" => FaultKind.Delay,
        "rate_limit" => FaultKind.RateLimit,
        _ => null,
    };
}

/// <summary>
/// The armed faults. Each /v1 request draws at most one, in the order they were added; a counted rule is
/// used up and removed, a rate rule stays until DELETE /_emulator/faults.
/// </summary>
internal sealed class Faults(Random dice)
{
    private readonly List<FaultRuleState> rules = [];
    private readonly Lock sync = new();

    public void Add(FaultRule rule)
    {
        lock (sync)
        {
            rules.Add(new FaultRuleState(rule) { Remaining = rule.Count });
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            rules.Clear();
        }
    }

    public FaultRule? Draw(string route)
    {
        lock (sync)
        {
            foreach (var state in rules)
            {
                var rule = state.Rule;
                if (rule.Route != FaultRule.AnyRoute && rule.Route != route)
                {
                    continue;
                }

                if (state.Remaining is int remaining)
                {
                    state.Remaining = remaining - 1;
                    if (state.Remaining == 0)
                    {
                        rules.Remove(state);
                    }

                    return rule;
                }

                if (dice.NextDouble() < rule.Rate)
                {
                    return rule;
                }
            }

            return null;
        }
    }

    private sealed class FaultRuleState(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int? Remaining { get; set; }
    }
}
