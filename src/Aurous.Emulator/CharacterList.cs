using System.Globalization;

namespace Aurous.Emulator;

/// <summary>
/// GET /v1/characters in the Stripe list shape the docs' "Stripe pattern" points to. The public docs never
/// specify this endpoint (they only say deleted characters are "filtered out of list endpoint"), so its shape
/// is inferred: see README "Contract choices".
/// </summary>
internal sealed record CharacterListQuery(int Limit, string? StartingAfter)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    private static readonly string[] Known = ["limit", "starting_after"];

    /// <summary>Unknown parameters are refused like unknown body fields: a silently ignored filter would mislead.</summary>
    public static CharacterListQuery Parse(IQueryCollection query)
    {
        var unknown = query.Keys.Where(k => !Known.Contains(k, StringComparer.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw ApiErrors.InvalidRequest($"Unknown query parameter(s): {string.Join(", ", unknown)}. This endpoint accepts limit and starting_after.", unknown[0]);
        }

        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limits))
        {
            var text = limits.Count == 1 ? limits[0] ?? "" : "";
            if (text.Length is 0 or > 3 || !text.All(char.IsAsciiDigit)
                || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
            {
                throw ApiErrors.InvalidRequest($"limit must be one whole number from 1 to {MaxLimit}; got '{string.Join(",", limits.ToArray())}'.", "limit");
            }
        }

        string? startingAfter = null;
        if (query.TryGetValue("starting_after", out var cursors))
        {
            startingAfter = cursors.Count == 1 ? cursors[0] : null;
            if (string.IsNullOrEmpty(startingAfter))
            {
                throw ApiErrors.InvalidRequest("starting_after must be one character id, the last id of the previous page.", "starting_after");
            }
        }

        return new CharacterListQuery(limit, startingAfter);
    }
}

/// <summary>One page: {"object":"list","url":"/v1/characters","data":[…],"has_more":…}.</summary>
internal sealed record CharacterListView(string Object, string Url, IReadOnlyList<CharacterView> Data, bool HasMore);
