using System;
using System.Linq;
using System.Text;

namespace Aurous.Client;

/// <summary>
/// How every error message is put together, so they all read alike: the subject first ("Character char_… (Aurora)"),
/// whole sentences with exactly one full stop each, quoted input with its invisible characters shown, and the server
/// named by its address.
/// </summary>
public static class AurousMessages
{
    private const int MaxQuoted = 60;

    /// <summary>"Character char_… (Aurora)", "Character char_…", or "New character 'Aurora'" when there is no id yet.</summary>
    public static string Subject(string? characterId, string? characterName)
    {
        var named = !string.IsNullOrEmpty(characterName);
        if (string.IsNullOrEmpty(characterId))
        {
            return named ? $"New character {Quote(characterName)}" : "Character";
        }

        return named ? $"Character {characterId} ({characterName})" : $"Character {characterId}";
    }

    /// <summary>
    /// Joins parts into sentences: each gets a full stop unless it already ends a sentence, so a quoted server text
    /// that ends in one ("… (emulated failure).") never gets a second. Empty parts are skipped.
    /// </summary>
    public static string Sentences(params string?[] parts) =>
        string.Join(" ", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => EndSentence(p!.Trim())));

    /// <summary>A text without its closing full stop, to continue it ("No such character" + " (HTTP 404 …).").</summary>
    public static string Clause(string? text)
    {
        var trimmed = (text ?? "").Trim();
        return trimmed.EndsWith(".", StringComparison.Ordinal) && !trimmed.EndsWith("..", StringComparison.Ordinal)
            ? trimmed.Substring(0, trimmed.Length - 1)
            : trimmed;
    }

    /// <summary>User input in quotes, control characters escaped (a pasted trailing newline shows as \n), long input cut.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "nothing";
        }

        var text = new StringBuilder("'");
        foreach (var c in value.Length > MaxQuoted ? value.Substring(0, MaxQuoted) : value)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || c == '\u00A0' || c == '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return text.Append(value.Length > MaxQuoted ? "…'" : "'").ToString();
    }

    /// <summary>The server an error is about, as scheme, authority and path (never user info): "http://127.0.0.1:5080".</summary>
    public static string Server(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return "the server";
        }

        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath.TrimEnd('/')}";
    }

    /// <summary>
    /// <see cref="Server"/>, and for the production default a note saying so: reaching it by accident (no base URI
    /// where one was meant, e.g. in a new runspace) otherwise looks like a network fault.
    /// </summary>
    public static string ConfiguredServer(Uri baseUri) =>
        IsDefault(baseUri) ? $"{Server(baseUri)} (the production API, used when no base URI is set)" : Server(baseUri);

    /// <summary>"1 credit", "4 credits": the unit every cost is given in.</summary>
    public static string Credits(int count) => count == 1 ? "1 credit" : $"{count} credits";

    private static bool IsDefault(Uri baseUri) =>
        baseUri is not null && baseUri.IsAbsoluteUri
        && string.Equals(Server(baseUri), Server(AurousClientOptions.DefaultBaseUri), StringComparison.OrdinalIgnoreCase);

    private static string EndSentence(string text) =>
        text.EndsWith(".", StringComparison.Ordinal) || text.EndsWith("!", StringComparison.Ordinal) || text.EndsWith("?", StringComparison.Ordinal)
            ? text
            : text + ".";
}
