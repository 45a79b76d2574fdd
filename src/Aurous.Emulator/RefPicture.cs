using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Aurous.Emulator;

/// <summary>
/// Draws what a ref URL serves: a 512×512 picture of the character in its pose (a simple figure with the hair and eye
/// colours its attributes name), its name, the pose and the generation written on it. A regenerated pose has a new
/// generation, so its number and its background colour change. The picture is a pure function of the name, the
/// attributes, the pose and the generation: nothing about it needs storing.
/// </summary>
internal static class RefPicture
{
    public const int Size = 512;

    private const int BandHeight = 64;
    private const int CacheLimit = 1024;

    private static readonly ConcurrentDictionary<(string, CharacterAttributes?, string, int), byte[]> Cache = new();

    /// <summary>The PNG bytes, rendered once per distinct picture (rendering and compressing take a few milliseconds).</summary>
    public static byte[] Png(string name, CharacterAttributes? attributes, string pose, int generation)
    {
        var key = (name, attributes, pose, generation);
        if (Cache.TryGetValue(key, out var png))
        {
            return png;
        }

        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        return Cache[key] = PngImage.Encode(Draw(name, attributes, pose, generation));
    }

    public static Canvas Draw(string name, CharacterAttributes? attributes, string pose, int generation)
    {
        var canvas = new Canvas(Size, Size);
        var look = Look.Of(canvas, name, attributes, generation);
        Background(canvas, look, generation);
        switch (pose)
        {
            case "portrait":
                Portrait(canvas, look);
                break;
            case "side":
                Side(canvas, new Figure(look));
                break;
            case "back":
                Back(canvas, new Figure(look));
                break;
            default:
                Front(canvas, new Figure(look), waving: pose == "other");
                break;
        }

        Labels(canvas, look, name, pose, generation);
        return canvas;
    }

    // Diagonal stripes whose hue moves with the generation: a regenerated pose looks different at a glance.
    private static void Background(Canvas canvas, Look look, int generation)
    {
        canvas.Rectangle(0, 0, Size, Size, look.Background);
        for (var y = BandHeight; y < Size - BandHeight; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                if (((x + y + (generation * 13)) / 32) % 2 == 0)
                {
                    canvas.Pixels[(y * Size) + x] = look.Stripe;
                }
            }
        }
    }

    private static void Portrait(Canvas c, Look look)
    {
        c.Ellipse(256, 490, 184, 114, look.Ink);
        c.Ellipse(256, 490, 180, 110, look.Shirt);
        c.Capsule(256, 330, 256, 400, 40, look.Skin);
        if (look.Hair == HairLength.Long)
        {
            c.Ellipse(256, 270, 128, 150, look.HairColour);
            c.Rectangle(128, 270, 385, 430, look.HairColour);
        }

        if (look.Hair == HairLength.Bun)
        {
            c.Ellipse(256, 92, 51, 43, look.Ink);
            c.Ellipse(256, 92, 48, 40, look.HairColour);
        }

        if (look.Hair != HairLength.Bald)
        {
            c.Ellipse(256, 222, 123, 141, look.Ink);
            c.Ellipse(256, 222, 120, 138, look.HairColour);
        }

        c.Ellipse(150, 258, 18, 29, look.Ink);
        c.Ellipse(362, 258, 18, 29, look.Ink);
        c.Ellipse(150, 258, 15, 26, look.Skin);
        c.Ellipse(362, 258, 15, 26, look.Skin);
        c.Ellipse(256, 255, 105, 121, look.Ink);
        c.Ellipse(256, 255, 102, 118, look.Skin);
        if (look.Hair != HairLength.Bald)
        {
            // A fringe, so the hair reads as hair and not as a hood.
            c.Polygon(look.HairColour, (160, 200), (200, 150), (300, 145), (352, 200), (330, 170), (256, 182), (182, 172));
        }

        c.Capsule(200, 212, 236, 206, 5, look.HairColour);
        c.Capsule(276, 206, 312, 212, 5, look.HairColour);
        foreach (var x in new[] { 218, 294 })
        {
            c.Ellipse(x, 242, 24, 15, look.White);
            c.Ellipse(x, 242, 12, 12, look.Eyes);
            c.Ellipse(x, 242, 5, 5, look.Ink);
            c.Ellipse(x + 4, 238, 2.5, 2.5, look.White);
        }

        c.Capsule(256, 250, 250, 282, 4, look.Shade);
        c.Ellipse(256, 312, 32, 11, look.Mouth);
        c.Ellipse(256, 306, 34, 8, look.Skin);
    }

    private static void Front(Canvas c, Figure f, bool waving)
    {
        var look = f.Look;
        var w = f.Width;
        f.Capsule(c, 238, 300, 234, 420, 16, look.Trousers);
        f.Capsule(c, 274, 300, 278, 420, 16, look.Trousers);
        f.Ellipse(c, 228, 428, 22, 10, look.Shoes);
        f.Ellipse(c, 284, 428, 22, 10, look.Shoes);
        if (look.Hair == HairLength.Long)
        {
            f.Ellipse(c, 256, 160, 50, 60, look.HairColour);
            f.Rectangle(c, 206, 160, 306, 235, look.HairColour);
        }

        f.Capsule(c, 256, 165, 256, 198, 14, look.Skin);
        Torso(c, f, 60);
        f.Capsule(c, 256 - (62 * w), 210, 256 - (78 * w), 300, 13, look.Shirt);
        f.Ellipse(c, 256 - (79 * w), 306, 13, 13, look.Skin);
        if (waving)
        {
            f.Capsule(c, 256 + (62 * w), 210, 256 + (100 * w), 120, 13, look.Shirt);
            f.Ellipse(c, 256 + (102 * w), 112, 14, 14, look.Skin);
        }
        else
        {
            f.Capsule(c, 256 + (62 * w), 210, 256 + (78 * w), 300, 13, look.Shirt);
            f.Ellipse(c, 256 + (79 * w), 306, 13, 13, look.Skin);
        }

        Head(c, f, 256);
        foreach (var x in new[] { 241, 271 })
        {
            f.Ellipse(c, x, 140, 8, 5.5, look.White);
            f.Ellipse(c, x, 140, 4.5, 4.5, look.Eyes);
            f.Ellipse(c, x, 140, 2, 2, look.Ink);
        }

        f.Ellipse(c, 256, 163, 10, 4, look.Mouth);
        f.Ellipse(c, 256, 161, 11, 3, look.Skin);
    }

    private static void Side(Canvas c, Figure f)
    {
        var look = f.Look;
        f.Capsule(c, 256, 300, 232, 420, 16, look.TrousersShade);
        f.Ellipse(c, 240, 428, 22, 10, look.Shoes);
        if (look.Hair == HairLength.Long)
        {
            f.Capsule(c, 228, 130, 224, 225, 22, look.HairColour);
        }

        f.Capsule(c, 256, 165, 260, 198, 14, look.Skin);
        Torso(c, f, 32);
        f.Capsule(c, 256, 300, 286, 420, 16, look.Trousers);
        f.Ellipse(c, 298, 428, 24, 10, look.Shoes);
        f.Capsule(c, 258, 212, 278, 298, 13, look.Shirt);
        f.Ellipse(c, 280, 304, 13, 13, look.Skin);

        if (look.Hair == HairLength.Bun)
        {
            f.Ellipse(c, 208, 118, 19, 19, look.Ink);
            f.Ellipse(c, 208, 118, 17, 17, look.HairColour);
        }

        if (look.Hair != HairLength.Bald)
        {
            f.Ellipse(c, 250, 128, 46, 52, look.Ink);
            f.Ellipse(c, 250, 128, 44, 50, look.HairColour);
        }

        f.Ellipse(c, 264, 142, 37, 42, look.Ink);
        f.Ellipse(c, 264, 142, 35, 40, look.Skin);
        f.Polygon(c, look.Skin, (290, 128), (308, 150), (290, 154));
        f.Ellipse(c, 250, 144, 7, 10, look.Shade);
        f.Ellipse(c, 282, 137, 5.5, 5, look.White);
        f.Ellipse(c, 284, 137, 3.5, 3.5, look.Eyes);
        f.Ellipse(c, 287, 163, 8, 2.5, look.Mouth);
    }

    private static void Back(Canvas c, Figure f)
    {
        var look = f.Look;
        var w = f.Width;
        f.Capsule(c, 238, 300, 234, 420, 16, look.Trousers);
        f.Capsule(c, 274, 300, 278, 420, 16, look.Trousers);
        f.Ellipse(c, 234, 426, 18, 10, look.Shoes);
        f.Ellipse(c, 278, 426, 18, 10, look.Shoes);
        f.Capsule(c, 256, 165, 256, 198, 14, look.Skin);
        Torso(c, f, 60);
        f.Capsule(c, 256 - (62 * w), 210, 256 - (78 * w), 300, 13, look.Shirt);
        f.Capsule(c, 256 + (62 * w), 210, 256 + (78 * w), 300, 13, look.Shirt);
        f.Ellipse(c, 256 - (79 * w), 306, 13, 13, look.Skin);
        f.Ellipse(c, 256 + (79 * w), 306, 13, 13, look.Skin);
        f.Ellipse(c, 215, 142, 7, 11, look.Skin);
        f.Ellipse(c, 297, 142, 7, 11, look.Skin);
        f.Ellipse(c, 256, 135, 43, 50, look.Ink);
        f.Ellipse(c, 256, 135, 41, 48, look.Hair == HairLength.Bald ? look.Skin : look.HairColour);
        if (look.Hair == HairLength.Long)
        {
            f.Rectangle(c, 216, 135, 296, 240, look.HairColour);
            f.Ellipse(c, 256, 240, 40, 12, look.HairColour);
        }

        if (look.Hair == HairLength.Bun)
        {
            f.Ellipse(c, 256, 96, 22, 20, look.Ink);
            f.Ellipse(c, 256, 96, 20, 18, look.HairColour);
        }
    }

    // Shoulders to hips, its width set by the body type.
    private static void Torso(Canvas c, Figure f, double halfWidth)
    {
        var w = f.Width;
        f.Polygon(c, f.Look.Shirt, (256 - (halfWidth * w), 200), (256 + (halfWidth * w), 200), (256 + (halfWidth * 0.8 * w), 312), (256 - (halfWidth * 0.8 * w), 312));
        f.Ellipse(c, 256, 208, halfWidth * w, 16, f.Look.Shirt);
    }

    // A face-on head: the hair as a larger shape behind the face, showing above and at the sides.
    private static void Head(Canvas c, Figure f, double x)
    {
        var look = f.Look;
        f.Ellipse(c, x - 41, 143, 6, 10, look.Skin);
        f.Ellipse(c, x + 41, 143, 6, 10, look.Skin);
        if (look.Hair == HairLength.Bun)
        {
            f.Ellipse(c, x, 80, 20, 18, look.Ink);
            f.Ellipse(c, x, 80, 18, 16, look.HairColour);
        }

        if (look.Hair != HairLength.Bald)
        {
            f.Ellipse(c, x, 128, 46, 52, look.Ink);
            f.Ellipse(c, x, 128, 44, 50, look.HairColour);
        }

        f.Ellipse(c, x, 143, 39, 42, look.Ink);
        f.Ellipse(c, x, 143, 37, 40, look.Skin);
        if (look.Hair != HairLength.Bald)
        {
            f.Polygon(c, look.HairColour, (x - 36, 128), (x - 20, 104), (x + 22, 103), (x + 37, 128), (x + 10, 114), (x - 12, 116));
        }
    }

    private static void Labels(Canvas c, Look look, string name, string pose, int generation)
    {
        c.Rectangle(0, 0, Size, BandHeight, look.White);
        c.Rectangle(0, Size - BandHeight, Size, Size, look.White);
        c.Rectangle(0, BandHeight - 3, Size, BandHeight, look.Ink);
        c.Rectangle(0, Size - BandHeight, Size, Size - BandHeight + 3, look.Ink);

        var lines = NameLines(Printable(name), out var scale);
        var lineHeight = (BitmapFont.Height + 2) * scale;
        var y = (BandHeight - 3 - (lines.Count * lineHeight) + (2 * scale)) / 2;
        foreach (var line in lines)
        {
            c.Text(line, (Size - (line.Length * BitmapFont.Advance * scale) + scale) / 2, y, scale, look.Ink);
            y += lineHeight;
        }

        const int LabelScale = 4;
        var labelY = Size - BandHeight + 3 + ((BandHeight - 3 - (BitmapFont.Height * LabelScale)) / 2);
        c.Text(pose.ToUpperInvariant(), 16, labelY, LabelScale, look.Ink);

        var badge = $"GEN {generation.ToString(CultureInfo.InvariantCulture)}";
        var badgeWidth = badge.Length * BitmapFont.Advance * LabelScale;
        c.Rectangle(Size - badgeWidth - 32, Size - BandHeight + 9, Size - 8, Size - 6, look.Badge);
        c.Text(badge, Size - badgeWidth - 18, labelY, LabelScale, look.White);
    }

    /// <summary>The largest scale the name fits at on one line, else two lines at the smallest, cut short if need be.</summary>
    private static List<string> NameLines(string name, out int scale)
    {
        const int Margin = 24;
        foreach (var candidate in new[] { 4, 3, 2 })
        {
            if (name.Length * BitmapFont.Advance * candidate <= Size - Margin)
            {
                scale = candidate;
                return [name];
            }
        }

        scale = 2;
        var perLine = (Size - Margin) / (BitmapFont.Advance * scale);
        var split = name.LastIndexOf(' ', Math.Min(perLine, name.Length - 1));
        split = split > perLine / 2 ? split : perLine;
        var second = name[split..].TrimStart();
        return [name[..split].TrimEnd(), second.Length <= perLine ? second : second[..(perLine - 3)] + "..."];
    }

    /// <summary>Accents dropped ("Zoë" is written "Zoe"); anything else outside ASCII is written '?' by the font.</summary>
    private static string Printable(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(char.IsWhiteSpace(ch) ? ' ' : ch);
            }
        }

        return kept.ToString().Normalize(NormalizationForm.FormC).Trim();
    }

    private enum HairLength
    {
        Short,
        Long,
        Bun,
        Bald,
    }

    /// <summary>The colours and build of one character, from its attributes, else from a hash of its name.</summary>
    private sealed class Look
    {
        private static readonly (byte, byte, byte)[] Skins =
            [(255, 219, 190), (241, 204, 170), (224, 172, 130), (198, 134, 90), (170, 110, 70), (141, 85, 54)];

        private static readonly (byte, byte, byte)[] NaturalHair =
            [(30, 28, 32), (75, 45, 25), (110, 70, 40), (235, 205, 120), (145, 60, 35), (160, 160, 165)];

        private static readonly (byte, byte, byte)[] NaturalEyes =
            [(100, 60, 30), (60, 110, 210), (60, 150, 80), (140, 110, 50), (120, 130, 140)];

        public byte Background, Stripe, Skin, Shade, HairColour, Eyes, Shirt, Trousers, TrousersShade, Shoes, Mouth, White, Ink, Badge;

        public HairLength Hair;

        public double BodyWidth = 1;

        public bool Child;

        public static Look Of(Canvas canvas, string name, CharacterAttributes? attributes, int generation)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
            var hue = hash[0] * 360.0 / 256;
            var backgroundHue = (hue + (generation * 67)) % 360;
            var skin = Skins[hash[1] % Skins.Length];
            var shirtHue = hash[2] * 360.0 / 256;
            return new Look
            {
                Background = canvas.Colour(Hsl(backgroundHue, 0.55, 0.88)),
                Stripe = canvas.Colour(Hsl(backgroundHue, 0.5, 0.82)),
                Skin = canvas.Colour(skin),
                Shade = canvas.Colour(Scale(skin, 0.82)),
                HairColour = canvas.Colour(ColourWords.Find(attributes?.HairColor) ?? NaturalHair[hash[3] % NaturalHair.Length]),
                Eyes = canvas.Colour(ColourWords.Find(attributes?.EyeColor) ?? NaturalEyes[hash[4] % NaturalEyes.Length]),
                Shirt = canvas.Colour(Hsl(shirtHue, 0.55, 0.5)),
                Trousers = canvas.Colour(Hsl((shirtHue + 150) % 360, 0.35, 0.3)),
                TrousersShade = canvas.Colour(Hsl((shirtHue + 150) % 360, 0.35, 0.22)),
                Shoes = canvas.Colour((60, 45, 40)),
                Mouth = canvas.Colour((175, 65, 75)),
                White = canvas.Colour((252, 252, 252)),
                Ink = canvas.Colour((38, 38, 46)),
                Badge = canvas.Colour(Hsl(backgroundHue, 0.6, 0.38)),
                Hair = HairOf(attributes?.HairStyle),
                BodyWidth = BuildOf(attributes?.BodyType),
                Child = attributes?.Age is < 13,
            };
        }

        private static HairLength HairOf(string? style)
        {
            var words = ColourWords.Words(style);
            return words.Overlaps(["bald", "shaved"]) ? HairLength.Bald
                : words.Overlaps(["bun", "ponytail", "topknot"]) ? HairLength.Bun
                : words.Overlaps(["long", "shoulder", "waist", "braid", "braids", "braided", "flowing"]) ? HairLength.Long
                : HairLength.Short;
        }

        private static double BuildOf(string? bodyType)
        {
            var words = ColourWords.Words(bodyType);
            return words.Overlaps(["slim", "thin", "slender", "petite", "lean", "skinny"]) ? 0.82
                : words.Overlaps(["heavy", "stocky", "curvy", "broad", "large", "plus", "muscular", "burly", "round"]) ? 1.25
                : 1;
        }

        private static (byte, byte, byte) Scale((byte R, byte G, byte B) rgb, double factor) =>
            ((byte)(rgb.R * factor), (byte)(rgb.G * factor), (byte)(rgb.B * factor));

        private static (byte, byte, byte) Hsl(double hue, double saturation, double lightness)
        {
            var chroma = (1 - Math.Abs((2 * lightness) - 1)) * saturation;
            var h = hue / 60;
            var x = chroma * (1 - Math.Abs((h % 2) - 1));
            var (r, g, b) = h switch
            {
                < 1 => (chroma, x, 0.0),
                < 2 => (x, chroma, 0.0),
                < 3 => (0.0, chroma, x),
                < 4 => (0.0, x, chroma),
                < 5 => (x, 0.0, chroma),
                _ => (chroma, 0.0, x),
            };
            var m = lightness - (chroma / 2);
            return ((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
        }
    }

    /// <summary>
    /// Full-body poses are drawn in one frame of reference, feet at y = 440 and centred on x = 256, then scaled about
    /// the feet: a child is drawn smaller; the body type widens the torso and moves the arms with it.
    /// </summary>
    private sealed class Figure(Look look)
    {
        private const double Ground = 440;
        private readonly double _scale = look.Child ? 0.72 : 1;

        public Look Look { get; } = look;

        public double Width => Look.BodyWidth;

        public void Ellipse(Canvas c, double x, double y, double rx, double ry, byte colour) =>
            c.Ellipse(X(x), Y(y), rx * _scale, ry * _scale, colour);

        public void Capsule(Canvas c, double x0, double y0, double x1, double y1, double radius, byte colour) =>
            c.Capsule(X(x0), Y(y0), X(x1), Y(y1), radius * _scale, colour);

        public void Rectangle(Canvas c, double x0, double y0, double x1, double y1, byte colour) =>
            c.Rectangle((int)X(x0), (int)Y(y0), (int)X(x1), (int)Y(y1), colour);

        public void Polygon(Canvas c, byte colour, params (double X, double Y)[] corners) =>
            c.Polygon(colour, corners.Select(p => (X(p.X), Y(p.Y))).ToArray());

        private double X(double x) => 256 + ((x - 256) * _scale);

        private double Y(double y) => Ground - ((Ground - y) * _scale);
    }
}
