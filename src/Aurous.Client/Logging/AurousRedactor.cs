using System.Text.RegularExpressions;

namespace Aurous.Client;

/// <summary>Removes secrets from text meant for people: API keys (al_live_…), ref URL tokens and user info in URLs.</summary>
public static class AurousRedactor
{
    public const string Mask = "***";

    // A token may sit in a plain query string (?token=…) or a JSON-escaped one (\u0026token\u003d…); it ends at a delimiter.
    private static readonly Regex UrlToken = new(
        @"(?<name>(?:[?&]|\\u0026)(?:token|sig|signature|x-amz-signature|access_token)(?:=|\\u003[dD]))[^&""'\s\\<>]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex ApiKey = new(
        @"al_(?:live|test)_[A-Za-z0-9_\-]+",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // user:password@ (or user@) in any URL: proxy and base URI settings can carry them.
    private static readonly Regex UserInfo = new(
        @"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@'""<>]+@",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static string Redact(string text) => Redact(text, (string?)null);

    /// <summary>Also removes each of <paramref name="secrets"/> verbatim: a rate-limit store's passwords.</summary>
    internal static string Redact(string text, string[] secrets)
    {
        foreach (var secret in secrets)
        {
            text = string.IsNullOrEmpty(text) || string.IsNullOrEmpty(secret) ? text : text.Replace(secret, Mask);
        }

        return Redact(text);
    }

    /// <summary>Also removes <paramref name="secret"/> verbatim, for keys that do not follow the al_live_ pattern.</summary>
    internal static string Redact(string text, string? secret)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, Mask);
        }

        text = ApiKey.Replace(text, "al_" + Mask);
        text = UserInfo.Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        return UrlToken.Replace(text, m => m.Groups["name"].Value + Mask);
    }
}
