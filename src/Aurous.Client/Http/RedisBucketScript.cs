using System;
using System.Globalization;

namespace Aurous.Client.Http;

/// <summary>
/// <see cref="TokenBucket"/>'s Take, GiveBack and Empty on a state every machine shares, as one Lua script Redis runs
/// atomically, on Redis's clock (TIME), so machines whose clocks disagree still agree on the bucket. The state is a
/// hash of two fields (tokens; microseconds since 1970) that expires once a full refill would have made it mean
/// "full" anyway. The shape (capacity, rate) comes from <see cref="TokenBucket"/>, so only the refill is repeated here.
/// </summary>
internal static class RedisBucketScript
{
    // ARGV: operation (take, give_back, throttled), capacity, tokens per second, Retry-After in seconds (-1: none),
    // expiry in milliseconds. Returns the wait in seconds, the tokens left and the state's instant, as text.
    // Redis before 5 replicates scripts verbatim, which TIME would make differ on a replica: hence replicate_commands.
    public const string Source = @"
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'micros')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil or tokens ~= tokens or tokens == math.huge or tokens == -math.huge then
  tokens = capacity
  at = now
end
if now > at then
  tokens = tokens + (now - at) / 1000000 * rate
  at = now
end
if tokens > capacity then tokens = capacity end
local wait = 0
local operation = ARGV[1]
if operation == 'take' then
  tokens = tokens - 1
  if tokens < 0 then wait = -tokens / rate end
elseif operation == 'give_back' then
  tokens = math.min(capacity, tokens + 1)
else
  local retryAfter = tonumber(ARGV[4])
  local untilNextToken = 1
  if retryAfter >= 0 then untilNextToken = retryAfter * rate end
  local ceiling = 0
  if untilNextToken < 1 then ceiling = 1 - untilNextToken end
  if tokens > ceiling then tokens = ceiling end
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'micros', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return { string.format('%.17g', wait), string.format('%.17g', tokens), string.format('%.17g', at) }
";

    private static readonly long UnixEpochTicks = DateTimeOffset.FromUnixTimeSeconds(0).UtcTicks;

    /// <summary>The script's arguments for <paramref name="change"/>, whose instant Redis replaces with its own.</summary>
    public static string[] Arguments(in BucketChange change)
    {
        var capacity = TokenBucket.Capacity(change.Limit);
        var perSecond = TokenBucket.PerSecond(change.Limit);
        var operation = change.Operation switch
        {
            BucketOperation.Take => "take",
            BucketOperation.GiveBack => "give_back",
            _ => "throttled",
        };
        var retryAfter = change.RetryAfter is { } wait ? Math.Max(0, wait.TotalSeconds) : -1;

        // Past a full refill the state means "full", exactly as no state does: nothing is lost when it expires.
        var expiry = (long)Math.Ceiling(capacity / perSecond * 1000) + 60_000;
        return new[] { operation, Text(capacity), Text(perSecond), Text(retryAfter), expiry.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>The script's answer as a result; the rate is always the documented one (a shared bucket needs no guess).</summary>
    public static BucketResult Result(string wait, string tokens, string micros)
    {
        var state = new BucketState
        {
            Tokens = Number(tokens),
            UtcTicks = UnixEpochTicks + (long)Number(micros) * 10,
        };
        return new BucketResult(TimeSpan.FromSeconds(Number(wait)), state, share: 1, lowered: false);
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
