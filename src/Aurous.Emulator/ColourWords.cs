namespace Aurous.Emulator;

/// <summary>
/// Reads a colour from the words of an attribute ("dark brown", "strawberry blonde", "ice blue"): the first word it
/// knows gives the colour, "dark", "deep", "light", "pale" or "bright" before it shade it. Text it does not know gives
/// a colour of its own, the same every time; no text gives null, so the caller picks one.
/// </summary>
internal static class ColourWords
{
    private static readonly Dictionary<string, (byte R, byte G, byte B)> Named = new(StringComparer.Ordinal)
    {
        ["black"] = (30, 28, 32),
        ["ebony"] = (40, 32, 30),
        ["jet"] = (20, 20, 24),
        ["brown"] = (110, 70, 40),
        ["brunette"] = (95, 60, 35),
        ["chestnut"] = (120, 60, 30),
        ["chocolate"] = (90, 50, 30),
        ["mahogany"] = (105, 45, 35),
        ["blonde"] = (235, 205, 120),
        ["blond"] = (235, 205, 120),
        ["golden"] = (225, 180, 60),
        ["gold"] = (225, 180, 60),
        ["honey"] = (210, 160, 80),
        ["platinum"] = (232, 228, 205),
        ["strawberry"] = (225, 140, 100),
        ["red"] = (180, 50, 40),
        ["auburn"] = (145, 60, 35),
        ["ginger"] = (210, 110, 50),
        ["copper"] = (190, 100, 50),
        ["orange"] = (240, 140, 40),
        ["silver"] = (200, 200, 210),
        ["grey"] = (150, 150, 155),
        ["gray"] = (150, 150, 155),
        ["white"] = (240, 240, 240),
        ["blue"] = (60, 110, 210),
        ["navy"] = (30, 50, 120),
        ["green"] = (60, 150, 80),
        ["emerald"] = (30, 150, 90),
        ["hazel"] = (140, 110, 50),
        ["amber"] = (200, 140, 30),
        ["pink"] = (240, 140, 180),
        ["purple"] = (130, 70, 170),
        ["violet"] = (150, 90, 200),
        ["lavender"] = (180, 150, 220),
        ["teal"] = (40, 150, 150),
        ["turquoise"] = (60, 200, 200),
        ["cyan"] = (60, 200, 220),
        ["yellow"] = (240, 220, 60),
    };

    public static (byte R, byte G, byte B)? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var factor = 1.0;
        foreach (var word in Split(text))
        {
            switch (word)
            {
                case "dark" or "deep":
                    factor = 0.65;
                    continue;
                case "light" or "pale" or "bright":
                    factor = 1.35;
                    continue;
            }

            if (Named.TryGetValue(word, out var rgb))
            {
                return (Shade(rgb.R, factor), Shade(rgb.G, factor), Shade(rgb.B, factor));
            }
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.Trim().ToLowerInvariant()));
        return (hash[0], hash[1], hash[2]);
    }

    /// <summary>The lower-case words of <paramref name="text"/>, for matching keywords.</summary>
    public static HashSet<string> Words(string? text) => new(Split(text), StringComparer.Ordinal);

    private static IEnumerable<string> Split(string? text)
    {
        var lower = (text ?? "").ToLowerInvariant();
        for (var start = 0; start < lower.Length;)
        {
            var end = start;
            while (end < lower.Length && char.IsLetter(lower[end]))
            {
                end++;
            }

            if (end > start)
            {
                yield return lower[start..end];
            }

            start = end + 1;
        }
    }

    private static byte Shade(byte value, double factor) => (byte)Math.Clamp(factor > 1 ? value + ((255 - value) * (factor - 1)) : value * factor, 0, 255);
}
