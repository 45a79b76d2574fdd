using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;

namespace Aurous.Client;

/// <summary>
/// Input rules checked before any request, so bad input costs no round trip and never a credit. Each rule has one
/// wording, used wherever the rule is checked: here, in the module's parameter validation, and in the client options.
/// Public so the module can check one pipeline item without building a client.
/// </summary>
public static class AurousValidation
{
    public const int MaxNameLength = 80;
    public const int MaxIdempotencyKeyLength = 256;
    public const int MaxIdLength = 128;
    public const int MinAge = 0;
    public const int MaxAge = 200;
    public const int MaxAttributeTextLength = 1000;

    /// <summary>The wording of the age rule, shared with the emulator's message and the docs.</summary>
    public const string AgeRule = "a whole number from 0 to 200";

    /// <summary>The longest wait: far beyond any synthesis; a longer one belongs in a scheduled re-run.</summary>
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromDays(7);

    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromHours(1);

    // .NET Framework's HttpClientHandler speaks to http proxies only; .NET 8 and later also to https and SOCKS ones.
    private static readonly string[] ProxySchemes = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)
        ? new[] { "http" }
        : new[] { "http", "https", "socks4", "socks4a", "socks5" };

    /// <summary>Ids are opaque but go into the URL path: letters, digits, '_', '-' and '.' only.</summary>
    public static string CharacterId(string? id, string parameterName = "Id")
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new AurousValidationException("A character id is required.", AurousErrors.InvalidCharacterId, parameterName);
        }

        if (id!.Length > MaxIdLength || !IsIdText(id))
        {
            throw new AurousValidationException(
                $"'{Shorten(id)}' is not a character id: ids contain only letters, digits, '_', '-' and '.', at most {MaxIdLength} characters (e.g. char_01HXMQ7Z3K8Y2NABCDEFGHJKMR).",
                AurousErrors.InvalidCharacterId,
                parameterName);
        }

        return id;
    }

    public static string Name(string? name, string parameterName = "Name")
    {
        if (string.IsNullOrWhiteSpace(name) || name!.Length > MaxNameLength)
        {
            throw new AurousValidationException(
                $"A character name must be 1 to {MaxNameLength} characters and not blank; got {(name is null ? "none" : name.Length + " characters")}.",
                AurousErrors.InvalidCharacterName,
                parameterName);
        }

        return SendableText(name, "The name", AurousErrors.InvalidCharacterName, parameterName);
    }

    public static CharacterPose Pose(CharacterPose pose, string parameterName = "Pose")
    {
        if (pose == CharacterPose.Unknown || !Enum.IsDefined(typeof(CharacterPose), pose))
        {
            throw new AurousValidationException(
                "A pose is required: portrait, front, side, back or other.",
                AurousErrors.InvalidPose,
                parameterName);
        }

        return pose;
    }

    /// <summary>A pose given as text (a parameter, a CSV cell): its name in any case, never a number.</summary>
    public static CharacterPose Pose(string? text, string parameterName = "Pose")
    {
        var trimmed = text?.Trim() ?? "";
        foreach (CharacterPose pose in Enum.GetValues(typeof(CharacterPose)))
        {
            if (pose != CharacterPose.Unknown && string.Equals(pose.ToString(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return pose;
            }
        }

        throw new AurousValidationException(
            $"{AurousMessages.Quote(text)} is not a pose: use {PoseNames}.",
            AurousErrors.InvalidPose,
            parameterName);
    }

    /// <summary>The poses as the module shows them, for messages: "Portrait, Front, Side, Back or Other".</summary>
    public const string PoseNames = "Portrait, Front, Side, Back or Other";

    /// <summary>1 to 256 printable ASCII characters: the key travels in an HTTP header.</summary>
    public static string IdempotencyKey(string? key, string parameterName = "IdempotencyKey")
    {
        var printable = key is not null;
        foreach (var c in key ?? "")
        {
            printable &= c >= 0x21 && c <= 0x7E;
        }

        if (key is null || key.Length == 0 || key.Length > MaxIdempotencyKeyLength || !printable)
        {
            throw new AurousValidationException(
                $"An idempotency key must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces.",
                AurousErrors.InvalidIdempotencyKey,
                parameterName);
        }

        return key;
    }

    /// <summary>
    /// One idempotency key names one paid call: given for several characters, the server would refuse every call after
    /// the first (409 idempotency_key_in_use), so the whole command is refused before anything is sent.
    /// </summary>
    /// <param name="targets">what the key was given for, described for the message ("char_… (Aurora)", "'Aurora'").</param>
    /// <param name="parameterName">the key's parameter, for the error.</param>
    /// <returns>null for at most one target; otherwise the error to report.</returns>
    public static AurousValidationException? OneCallPerIdempotencyKey(IReadOnlyList<string> targets, string parameterName = "IdempotencyKey")
    {
        if (targets.Count <= 1)
        {
            return null;
        }

        var shown = string.Join(", ", targets.Take(3)) + (targets.Count > 3 ? $" and {targets.Count - 3} more" : "");
        return new AurousValidationException(
            $"One idempotency key was given for {targets.Count} characters ({shown}), but {OneKeyOneCall}. Nothing was sent. Leave the key out so each call gets its own, or give each character its own key.",
            AurousErrors.IdempotencyKeyReused,
            parameterName);
    }

    /// <summary>A key from an input row that an earlier row of the same command used for another character.</summary>
    /// <returns>the error to report for the later row, which is not sent.</returns>
    public static AurousValidationException IdempotencyKeyUsedBefore(string key, string earlier, string now, string parameterName = "IdempotencyKey") =>
        new(
            $"The idempotency key {AurousMessages.Quote(key)} of {now} was already used for {earlier} in this command, but {OneKeyOneCall}. Nothing was sent for {now}. Give each row its own key.",
            AurousErrors.IdempotencyKeyReused,
            parameterName);

    private const string OneKeyOneCall = "a key stands for exactly one paid call: the server refuses any other call under it (409)";

    /// <summary>An Aurous-Version pin: one real calendar date, YYYY-MM-DD, ASCII digits only (it travels in a header).</summary>
    public static string ApiVersion(string? version, string parameterName = "ApiVersion")
    {
        var ascii = version is { Length: 10 } && version.Select((c, i) => i == 4 || i == 7 ? c == '-' : c >= '0' && c <= '9').All(ok => ok);
        if (!ascii || !DateTime.TryParseExact(version, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new AurousValidationException(
                $"The API version must be a real date written YYYY-MM-DD in ASCII digits, such as 2026-05-15; got {AurousMessages.Quote(version)}.",
                AurousErrors.InvalidConfiguration,
                parameterName);
        }

        return version!;
    }

    /// <summary>
    /// A proxy address the HTTP stack can use, without credentials in it: a user name and password in the URI would
    /// show wherever the setting is displayed or saved, so they travel separately (-ProxyCredential in the module).
    /// </summary>
    public static Uri Proxy(Uri? proxy, string parameterName = "Proxy")
    {
        if (proxy is null || !proxy.IsAbsoluteUri || string.IsNullOrEmpty(proxy.Host))
        {
            throw new AurousValidationException(
                $"The proxy must be an absolute URI such as http://proxy.example.com:8080; got {AurousMessages.Quote(proxy?.OriginalString)}.",
                AurousErrors.InvalidConfiguration,
                parameterName);
        }

        if (!string.IsNullOrEmpty(proxy.UserInfo))
        {
            throw new AurousValidationException(
                "The proxy URI must not carry a user name or password: they would show wherever the setting is displayed or saved. Give the address alone, and the user name and password as the proxy credential (Connect-Aurous -ProxyCredential).",
                AurousErrors.InvalidConfiguration,
                parameterName);
        }

        if (Array.IndexOf(ProxySchemes, proxy.Scheme) < 0)
        {
            throw new AurousValidationException(
                $"The proxy scheme '{proxy.Scheme}' is not supported here: use {string.Join(", ", ProxySchemes)}, such as http://proxy.example.com:8080.",
                AurousErrors.InvalidConfiguration,
                parameterName);
        }

        return proxy;
    }

    /// <summary>How long a wait may last (overall, or without reaching the server): from 1 second to <see cref="MaxWaitTime"/>.</summary>
    public static TimeSpan WaitTime(TimeSpan value, string parameterName) => WaitTime(value.TotalSeconds, parameterName);

    /// <inheritdoc cref="WaitTime(TimeSpan, string)"/>
    public static TimeSpan WaitTime(double seconds, string parameterName) =>
        SecondsWithin(seconds, 1, MaxWaitTime.TotalSeconds, $" ({MaxWaitTime.TotalDays:0} days)", parameterName);

    /// <summary>The shortest gap between polls of one character: from 0.01 to 3600 seconds.</summary>
    public static TimeSpan PollInterval(TimeSpan value, string parameterName) => PollInterval(value.TotalSeconds, parameterName);

    /// <inheritdoc cref="PollInterval(TimeSpan, string)"/>
    public static TimeSpan PollInterval(double seconds, string parameterName) =>
        SecondsWithin(seconds, MinPollInterval.TotalSeconds, MaxPollInterval.TotalSeconds, "", parameterName);

    private static TimeSpan SecondsWithin(double seconds, double min, double max, string note, string parameterName)
    {
        if (double.IsNaN(seconds) || seconds < min || seconds > max)
        {
            throw new AurousValidationException(
                $"{parameterName} must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} seconds{note}; got {seconds.ToString("0.###", CultureInfo.InvariantCulture)}.",
                AurousErrors.InvalidConfiguration,
                parameterName);
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// The age attribute: a whole number from 0 to 200, given as any integral number, a number without a fraction,
    /// or text of ASCII digits (a CSV cell). Null, DBNull and blank text mean "not set".
    /// </summary>
    public static int? Age(object? value, string parameterName = "Age")
    {
        if (IsUnset(value))
        {
            return null;
        }

        long? whole = value switch
        {
            byte or sbyte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ulong u when u <= long.MaxValue => (long)u,
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
            float f when f == Math.Floor(f) && Math.Abs(f) < 1e15 => (long)f,
            decimal m when m == decimal.Floor(m) && Math.Abs(m) < 1e15m => (long)m,
            string text when text.Trim().Length is > 0 and <= 15 && text.Trim().All(c => c >= '0' && c <= '9') => long.Parse(text.Trim(), CultureInfo.InvariantCulture),
            _ => null,
        };

        if (whole is null || whole < MinAge || whole > MaxAge)
        {
            // A whole number out of range is shown as the number, however it came (a CSV cell's "250" included).
            var shown = whole is { } number ? number.ToString(CultureInfo.InvariantCulture) : Describe(value);
            throw new AurousValidationException($"Age must be {AgeRule}; got {shown}.", AurousErrors.InvalidAttributeValue, parameterName);
        }

        return (int)whole.Value;
    }

    /// <summary>A text attribute (hair_color, ...): a string of at most 1000 characters. Null, DBNull and blank text mean "not set".</summary>
    public static string? AttributeText(string field, object? value, string parameterName = "Attributes")
    {
        if (IsUnset(value))
        {
            return null;
        }

        var text = value switch
        {
            string s => s,
            char c => c.ToString(),
            _ => null,
        };

        if (text is null)
        {
            throw new AurousValidationException(
                $"{field} must be text (a string); got {Describe(value)}. Give one value in quotes, such as {field} = 'black'.",
                AurousErrors.InvalidAttributeValue,
                parameterName);
        }

        if (text.Length > MaxAttributeTextLength)
        {
            throw new AurousValidationException(
                $"{field} must be at most {MaxAttributeTextLength} characters; got {text.Length}.",
                AurousErrors.InvalidAttributeValue,
                parameterName);
        }

        return SendableText(text, field, AurousErrors.InvalidAttributeValue, parameterName);
    }

    /// <summary>
    /// Text that can travel as UTF-8: a lone UTF-16 surrogate (half of a character, left by cutting a string in the middle
    /// of an emoji) has no UTF-8 form, and the server refuses the whole body, so it is refused here before anything is sent.
    /// </summary>
    private static string SendableText(string text, string what, string errorId, string parameterName)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var paired = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new AurousValidationException(
                    $"{what} has half a character at position {i + 1} (a lone UTF-16 surrogate, U+{(int)text[i]:X4}), which cannot be sent as UTF-8. It often comes from cutting text in the middle of an emoji: remove or retype it.",
                    errorId,
                    parameterName);
            }
        }

        return text;
    }

    private static bool IsUnset(object? value) =>
        value is null || value is DBNull || (value is string text && string.IsNullOrWhiteSpace(text));

    /// <summary>What a refused value was, in terms a script author recognises: the text itself, or the kind of object.</summary>
    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string text => AurousMessages.Quote(text),
        bool flag => flag ? "the boolean $true" : "the boolean $false",
        IDictionary => $"a {value.GetType().Name} (a table of values)",
        IEnumerable items => $"a list of {items.Cast<object>().Count()} values",
        IFormattable number when value.GetType().IsPrimitive || value is decimal => number.ToString(null, CultureInfo.InvariantCulture),
        _ => $"a {value.GetType().Name}",
    };

    private static bool IsIdText(string id)
    {
        foreach (var c in id)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
            if (!ok)
            {
                return false;
            }
        }

        return id != "." && id != "..";
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
