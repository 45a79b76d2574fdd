using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Aurous.Client;

/// <summary>The inline-image protocols a terminal may speak.</summary>
public enum TerminalGraphics
{
    /// <summary>No protocol this module knows the terminal to speak.</summary>
    None,

    /// <summary>iTerm2's OSC 1337 File=: iTerm2, WezTerm, VS Code's terminal.</summary>
    ITerm2,

    /// <summary>The kitty graphics protocol (APC G): kitty, ghostty.</summary>
    Kitty,

    /// <summary>DEC Sixel (DCS q): Windows Terminal 1.22+, foot, mlterm.</summary>
    Sixel,
}

/// <summary>
/// Which protocol the terminal speaks, from the variables terminals set for exactly this purpose, and the escape
/// sequences that draw one image. iTerm2 and kitty take the PNG as it is (the terminal decodes and scales it); Sixel
/// needs pixels, so the image is decoded (<see cref="PngDecoder"/>), scaled down and quantised to at most 256 colours.
/// </summary>
public static class TerminalImages
{
    private const string Esc = "\u001b";
    private const string StringTerminator = Esc + "\\";
    private const int KittyChunk = 4096;

    /// <summary>
    /// The protocol the environment names. Inside tmux or screen nothing is assumed: they swallow these sequences
    /// unless configured to pass them through.
    /// </summary>
    public static TerminalGraphics Detect(Func<string, string?> environment)
    {
        if (environment is null)
        {
            throw new ArgumentNullException(nameof(environment));
        }

        string term = environment("TERM") ?? string.Empty;
        string program = environment("TERM_PROGRAM") ?? string.Empty;
        if (!string.IsNullOrEmpty(environment("TMUX")) || term.StartsWith("screen", StringComparison.Ordinal) || term.StartsWith("tmux", StringComparison.Ordinal))
        {
            return TerminalGraphics.None;
        }

        if (term == "xterm-kitty" || !string.IsNullOrEmpty(environment("KITTY_WINDOW_ID")) || program == "ghostty" || term == "xterm-ghostty")
        {
            return TerminalGraphics.Kitty;
        }

        if (program is "iTerm.app" or "WezTerm" or "vscode")
        {
            return TerminalGraphics.ITerm2;
        }

        if (!string.IsNullOrEmpty(environment("WT_SESSION")) || term is "foot" or "foot-extra" || term.StartsWith("mlterm", StringComparison.Ordinal) || !string.IsNullOrEmpty(environment("MLTERM")))
        {
            return TerminalGraphics.Sixel;
        }

        return TerminalGraphics.None;
    }

    /// <summary>iTerm2's inline image, <paramref name="columns"/> × <paramref name="rows"/> cells, aspect kept.</summary>
    public static string ITerm2(byte[] image, string fileName, int columns, int rows)
    {
        string name = Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName));
        return $"{Esc}]1337;File=name={name};size={image.Length.ToString(CultureInfo.InvariantCulture)};width={columns.ToString(CultureInfo.InvariantCulture)};height={rows.ToString(CultureInfo.InvariantCulture)};preserveAspectRatio=1;inline=1:{Convert.ToBase64String(image)}\u0007";
    }

    /// <summary>
    /// The kitty protocol's transmit-and-display of a PNG (f=100), in chunks of 4096 base64 characters, shown in
    /// <paramref name="columns"/> × <paramref name="rows"/> cells. q=2: the terminal sends no answer, which would
    /// otherwise arrive as typed input.
    /// </summary>
    public static string Kitty(byte[] png, int columns, int rows)
    {
        string payload = Convert.ToBase64String(png);
        var sequence = new StringBuilder(payload.Length + 64);
        for (int start = 0; start < payload.Length || start == 0; start += KittyChunk)
        {
            int length = Math.Min(KittyChunk, payload.Length - start);
            bool more = start + length < payload.Length;
            sequence.Append(Esc).Append("_G");
            if (start == 0)
            {
                sequence.Append("a=T,f=100,t=d,q=2,C=1,c=").Append(columns.ToString(CultureInfo.InvariantCulture))
                    .Append(",r=").Append(rows.ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            sequence.Append("m=").Append(more ? '1' : '0').Append(';').Append(payload, start, length).Append(StringTerminator);
            if (payload.Length == 0)
            {
                break;
            }
        }

        return sequence.ToString();
    }

    /// <summary>
    /// A Sixel image of <paramref name="image"/> scaled to fit <paramref name="maxSide"/> pixels: a palette of the
    /// image's own colours when it has 256 or fewer, else a 6×6×6 colour cube; transparency is laid over white.
    /// </summary>
    public static string Sixel(RgbaImage image, int maxSide)
    {
        RgbaImage scaled = ScaleToFit(image, maxSide);
        int width = scaled.Width;
        int height = scaled.Height;
        int[] indexes = Quantize(scaled, out List<int> palette);

        var sixel = new StringBuilder();
        sixel.Append(Esc).Append("P0;1;0q\"1;1;").Append(width).Append(';').Append(height);
        for (int i = 0; i < palette.Count; i++)
        {
            int rgb = palette[i];
            sixel.Append('#').Append(i).Append(";2;")
                .Append(Percent(rgb >> 16)).Append(';').Append(Percent((rgb >> 8) & 0xFF)).Append(';').Append(Percent(rgb & 0xFF));
        }

        var used = new bool[palette.Count];
        for (int band = 0; band < height; band += 6)
        {
            Array.Clear(used, 0, used.Length);
            for (int y = band; y < Math.Min(height, band + 6); y++)
            {
                for (int x = 0; x < width; x++)
                {
                    used[indexes[(y * width) + x]] = true;
                }
            }

            bool first = true;
            for (int colour = 0; colour < palette.Count; colour++)
            {
                if (!used[colour])
                {
                    continue;
                }

                if (!first)
                {
                    sixel.Append('$');
                }

                first = false;
                sixel.Append('#').Append(colour);
                char run = '\0';
                int count = 0;
                for (int x = 0; x < width; x++)
                {
                    int bits = 0;
                    for (int dy = 0; dy < 6 && band + dy < height; dy++)
                    {
                        if (indexes[((band + dy) * width) + x] == colour)
                        {
                            bits |= 1 << dy;
                        }
                    }

                    char c = (char)(63 + bits);
                    if (c == run)
                    {
                        count++;
                        continue;
                    }

                    AppendRun(sixel, run, count);
                    run = c;
                    count = 1;
                }

                AppendRun(sixel, run, count);
            }

            sixel.Append('-');
        }

        return sixel.Append(StringTerminator).ToString();
    }

    /// <summary>Box-filtered down to fit <paramref name="maxSide"/> (never up), alpha laid over white.</summary>
    public static RgbaImage ScaleToFit(RgbaImage image, int maxSide)
    {
        if (image is null)
        {
            throw new ArgumentNullException(nameof(image));
        }

        double factor = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        int width = Math.Max(1, (int)Math.Round(image.Width * factor));
        int height = Math.Max(1, (int)Math.Round(image.Height * factor));
        var pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            int y0 = y * image.Height / height;
            int y1 = Math.Max(y0 + 1, (y + 1) * image.Height / height);
            for (int x = 0; x < width; x++)
            {
                int x0 = x * image.Width / width;
                int x1 = Math.Max(x0 + 1, (x + 1) * image.Width / width);
                long r = 0, g = 0, b = 0, n = 0;
                for (int sy = y0; sy < y1; sy++)
                {
                    for (int sx = x0; sx < x1; sx++)
                    {
                        int o = ((sy * image.Width) + sx) * 4;
                        int alpha = image.Pixels[o + 3];
                        r += ((image.Pixels[o] * alpha) + (255 * (255 - alpha))) / 255;
                        g += ((image.Pixels[o + 1] * alpha) + (255 * (255 - alpha))) / 255;
                        b += ((image.Pixels[o + 2] * alpha) + (255 * (255 - alpha))) / 255;
                        n++;
                    }
                }

                int t = ((y * width) + x) * 4;
                (pixels[t], pixels[t + 1], pixels[t + 2], pixels[t + 3]) = ((byte)(r / n), (byte)(g / n), (byte)(b / n), 255);
            }
        }

        return new RgbaImage(width, height, pixels);
    }

    private static int[] Quantize(RgbaImage image, out List<int> palette)
    {
        int count = image.Width * image.Height;
        var exact = new Dictionary<int, int>();
        var indexes = new int[count];
        for (int i = 0; i < count && exact.Count <= 256; i++)
        {
            int rgb = Rgb(image, i);
            if (!exact.TryGetValue(rgb, out int index))
            {
                exact[rgb] = index = exact.Count;
            }

            indexes[i] = index;
        }

        if (exact.Count <= 256)
        {
            palette = new List<int>(new int[exact.Count]);
            foreach (KeyValuePair<int, int> entry in exact)
            {
                palette[entry.Value] = entry.Key;
            }

            return indexes;
        }

        palette = new List<int>(216);
        for (int i = 0; i < 216; i++)
        {
            palette.Add(((i / 36 * 51) << 16) | ((i / 6 % 6 * 51) << 8) | (i % 6 * 51));
        }

        for (int i = 0; i < count; i++)
        {
            int rgb = Rgb(image, i);
            indexes[i] = (Level(rgb >> 16) * 36) + (Level((rgb >> 8) & 0xFF) * 6) + Level(rgb & 0xFF);
        }

        return indexes;
    }

    private static int Rgb(RgbaImage image, int pixel) =>
        (image.Pixels[pixel * 4] << 16) | (image.Pixels[(pixel * 4) + 1] << 8) | image.Pixels[(pixel * 4) + 2];

    private static int Level(int channel) => (channel + 25) / 51;

    private static int Percent(int channel) => (channel * 100 + 127) / 255;

    private static void AppendRun(StringBuilder sixel, char c, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (count > 3)
        {
            sixel.Append('!').Append(count).Append(c);
        }
        else
        {
            sixel.Append(c, count);
        }
    }
}
