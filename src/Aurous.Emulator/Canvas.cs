namespace Aurous.Emulator;

/// <summary>
/// A small indexed-colour raster with the few filled shapes a ref picture is drawn from. No anti-aliasing: flat
/// colours keep the PNG small and every pixel a pure function of the drawing calls.
/// </summary>
internal sealed class Canvas
{
    private readonly List<(byte R, byte G, byte B)> _palette = [];

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>One palette index per pixel, row by row.</summary>
    public byte[] Pixels { get; }

    public IReadOnlyList<(byte R, byte G, byte B)> Palette => _palette;

    /// <summary>Adds a colour to the palette (at most 256) and returns its index.</summary>
    public byte Colour((byte R, byte G, byte B) rgb)
    {
        var index = _palette.IndexOf(rgb);
        if (index >= 0)
        {
            return (byte)index;
        }

        if (_palette.Count == 256)
        {
            throw new InvalidOperationException("An indexed PNG holds at most 256 colours.");
        }

        _palette.Add(rgb);
        return (byte)(_palette.Count - 1);
    }

    public void Rectangle(int x0, int y0, int x1, int y1, byte colour)
    {
        for (var y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
            {
                Pixels[(y * Width) + x] = colour;
            }
        }
    }

    public void Ellipse(double cx, double cy, double rx, double ry, byte colour) =>
        Fill(cx - rx, cy - ry, cx + rx, cy + ry, colour, (x, y) => Square((x - cx) / rx) + Square((y - cy) / ry) <= 1);

    /// <summary>A thick line with round ends: limbs, necks, eyebrows.</summary>
    public void Capsule(double x0, double y0, double x1, double y1, double radius, byte colour)
    {
        var dx = x1 - x0;
        var dy = y1 - y0;
        var length = (dx * dx) + (dy * dy);
        Fill(Math.Min(x0, x1) - radius, Math.Min(y0, y1) - radius, Math.Max(x0, x1) + radius, Math.Max(y0, y1) + radius, colour, (x, y) =>
        {
            var t = length == 0 ? 0 : Math.Clamp((((x - x0) * dx) + ((y - y0) * dy)) / length, 0, 1);
            return Square(x - (x0 + (t * dx))) + Square(y - (y0 + (t * dy))) <= radius * radius;
        });
    }

    /// <summary>A polygon (even-odd rule), its corners in either winding order.</summary>
    public void Polygon(byte colour, params (double X, double Y)[] corners) =>
        Fill(corners.Min(c => c.X), corners.Min(c => c.Y), corners.Max(c => c.X), corners.Max(c => c.Y), colour, (x, y) =>
        {
            var inside = false;
            for (int i = 0, j = corners.Length - 1; i < corners.Length; j = i++)
            {
                var (ax, ay) = corners[i];
                var (bx, by) = corners[j];
                if ((ay > y) != (by > y) && x < ax + ((y - ay) * (bx - ax) / (by - ay)))
                {
                    inside = !inside;
                }
            }

            return inside;
        });

    /// <summary>Writes <paramref name="text"/> in the built-in font, <paramref name="scale"/> pixels per font dot.</summary>
    public void Text(string text, int x, int y, int scale, byte colour)
    {
        foreach (var c in text)
        {
            var columns = BitmapFont.Glyph(c);
            for (var column = 0; column < columns.Length; column++)
            {
                for (var row = 0; row < BitmapFont.Height; row++)
                {
                    if ((columns[column] & (1 << row)) != 0)
                    {
                        Rectangle(x + (column * scale), y + (row * scale), x + ((column + 1) * scale), y + ((row + 1) * scale), colour);
                    }
                }
            }

            x += BitmapFont.Advance * scale;
        }
    }

    private void Fill(double left, double top, double right, double bottom, byte colour, Func<double, double, bool> inside)
    {
        for (var y = Math.Max(0, (int)Math.Floor(top)); y <= Math.Min(Height - 1, (int)Math.Ceiling(bottom)); y++)
        {
            for (var x = Math.Max(0, (int)Math.Floor(left)); x <= Math.Min(Width - 1, (int)Math.Ceiling(right)); x++)
            {
                // Sampled at the pixel's centre.
                if (inside(x + 0.5, y + 0.5))
                {
                    Pixels[(y * Width) + x] = colour;
                }
            }
        }
    }

    private static double Square(double value) => value * value;
}
